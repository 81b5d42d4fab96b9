"""A real Synapse homeserver for the Matrix tests (not a fake: the package name is the
tests' place for wire servers). See server.py."""
