"""jeugdakkoord: grounded answers and clause drafts for coalition negotiations on youth policy.

Packages in the order of the data path; each imports only the ones before it:

    core -> providers -> store -> (ingest) -> retrieval -> answering
         -> positions | workspace -> serve -> ui -> server -> cli

``ingest`` (a top-level package next to ``assistant``) imports only core, providers and
store; retrieval and the products above it never import it. Siblings (positions, workspace)
do not import each other. ``tests/unit/test_layering.py`` checks the order and that there
are no import cycles.
"""

from assistant.core.settings import apply_privacy_defaults

# Before chromadb, gradio or huggingface_hub are imported anywhere: no phoning home.
apply_privacy_defaults()

__version__ = "0.1.0"
