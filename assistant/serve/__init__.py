"""Serving: the JSON API under ``/api`` and the server that mounts it next to the chat UI.
The top of the stack below the CLI; nothing in the project imports it except the CLI."""
