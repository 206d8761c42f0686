"""The small typed core every layer may import: data types, settings, text utilities,
interface texts and the hand-kept data files. It imports nothing else of the project."""
