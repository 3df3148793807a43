"""Icons, styles and example scripts shipped with gradtrace."""
