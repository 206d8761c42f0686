"""The chat UI for negotiators (Gradio): chat with cited answers, documents, settings.

Importing this package fails when Gradio is not installed, so ``make run`` can tell whether
to start ``jeugdakkoord chat`` (found cheaply with ``find_spec``: importing Gradio is slow).
"""

from importlib.util import find_spec

if find_spec("gradio") is None:
    raise ImportError("the chat UI needs Gradio: pip install 'jeugdakkoord[ui]'")
