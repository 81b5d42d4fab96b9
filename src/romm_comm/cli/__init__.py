"""The command line: run, shell, check, import-legacy, the demo."""
