"""Readers' pages kept current: see handlers.py for what a change purges."""
