"""A fit of a rule's terms said as an expression: '1 - 0.9 * g^2', '0.1 * g^2', 's + g'. Shared by the state and
recurrence readings, which name their fitted coefficients the same way."""

CONSTANT = "1"  # the constant term's name in a fit


def expression(fit: dict[str, float]) -> str:
    """'1 - 0.9 * g^2', '0.1 * g^2', 'sum(g^2)'."""
    parts = []
    for term, coefficient in sorted(fit.items(), key=lambda item: item[0] != CONSTANT):  # '1 - ...', not '... + 1'
        size = f"{abs(coefficient):.4g}"
        body = size if term == CONSTANT else term if size == "1" else f"{size} * {term}"
        parts.append(("-" if coefficient < 0 and not parts else "- " if coefficient < 0 else "+ " if parts else "")
                     + body)
    return " ".join(parts)
