"""Shared spider machinery: the base class every source kind builds on, and failure reasons."""
