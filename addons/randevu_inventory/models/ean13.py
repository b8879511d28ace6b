"""EAN-13 arithmetic (GS1 General Specifications, check digit: weights 1 and 3 from the left)."""


def ean13_check_digit(twelve):
    """The check digit of the 12 leading digits of an EAN-13."""
    if len(twelve) != 12 or not twelve.isdigit():
        raise ValueError(twelve)
    total = sum(int(digit) * (3 if index % 2 else 1) for index, digit in enumerate(twelve))
    return str((10 - total % 10) % 10)


def is_valid_ean13(code):
    return bool(code) and len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == code[12]


def ean13(prefix, number):
    """The EAN-13 of `number` under `prefix`: prefix + number zero-padded to 12 digits + check."""
    body = f"{prefix}{number:0{12 - len(prefix)}d}"
    if len(body) != 12:
        raise ValueError(number)
    return body + ean13_check_digit(body)
