"""Positions: each document's stance on a topic side by side (``compare``), the topic matrix
(``matrix``), and their .docx/.md/.csv export. Built on the answer path's concepts and drafter."""
