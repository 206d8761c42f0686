"""The chapter workspace: the draft youth chapter's clauses with their sources (a file store
shared by every tab and the CLI) and its export as .docx with real footnotes or Markdown."""
