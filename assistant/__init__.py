"""jeugdakkoord: grounded answers and clause drafts for coalition negotiations on youth policy."""

from assistant.settings import apply_privacy_defaults

# Before chromadb, gradio or huggingface_hub are imported anywhere: no phoning home.
apply_privacy_defaults()

__version__ = "0.1.0"
