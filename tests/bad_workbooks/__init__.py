"""The bad-input corpus: workbooks each broken in one way, written at test time by generate.py."""
