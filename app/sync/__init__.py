"""Sync bundles between installations (issue 6, DESIGN §7). First slice: keys and peers."""
