"""Ingestion: corpus files -> clean text -> structure-aware chunks -> index generation."""
