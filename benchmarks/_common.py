"""Small shared helpers for the benchmark scripts: timing and table printing."""

import time

import numpy as np


def best_time(func, *args, repeat=3, **kwargs):
    """Best wall-clock time of ``repeat`` calls (the least disturbed run)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def print_table(rows, headers):
    """Print rows as an aligned plain-text table (floats with 4 significant digits)."""

    def fmt(value):
        if isinstance(value, float | np.floating):
            return f"{value:.4g}"
        return str(value)

    cells = [[fmt(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
