"""What a person sees: the terminal, rich tables, progress, pictures."""
