"""Progress: lesson completions, acknowledgements, module and course completion, certificates."""
