#!/usr/bin/env python3
"""Splits a child's CPU per call by thread and, on the calling thread, by what Tollgate does.

Reads a profile of perf-java.sh, keeps the samples of the measured window (the last --window seconds,
less a --margin at the end for the child's exit), and prints microseconds of CPU per call: each
thread's, then the calling thread's split into the agent's parts. A sample counts for the part of the
innermost agent frame on its stack; one under the client's own I/O (socket, OkHttp, Okio) counts for
the application. Frames inlined by the JIT are folded into their caller, so a part is a lower bound.
"""
import argparse
import collections
import re
import subprocess

PARTS = [
    ('journal (encode + write)', r'UsageJournal|LineEncoder|PlainAmount'),
    ('usage tap (parse)', r'UsageTap|UsageReader|StringClipper|TapInputStream|jackson\.core\.json\.async|BodyInflater'),
    ('pre-flight (read, quote, reserve)', r'Meter\.start|RequestScanner|Hooks\.begin|Quoter|PriceCatalog|RequestInfo'),
    ('settle (record, wallet, budgets, metrics)', r'MeteredCall|Meter\.record|Budgets|Wallet|BalanceCache|Listeners|Metrics'),
    ('other agent code', r'dev\.tollgate\.agent|dev\.tollgate\.shaded'),
]
CLIENT_IO = re.compile(r'NioSocketImpl|SocketInputStream|SocketOutputStream|SocketDispatcher|okhttp3\.|okio\.(?!InputStreamSource)')


def samples(path):
    out = subprocess.run(['perf', 'script', '-i', path, '-F', 'comm,time,ip,sym'], capture_output=True, text=True,
                         check=True).stdout
    head, stack = None, []
    for line in out.split('\n'):
        if not line.strip():
            if head:
                yield head[0], head[1], stack
            head, stack = None, []
        elif not line.startswith((' ', '\t')):
            m = re.match(r'\s*(.+?)\s+(\d+\.\d+):', line)
            head = (m.group(1), float(m.group(2))) if m else None
        else:
            parts = line.strip().split(' ', 1)
            stack.append(parts[1] if len(parts) > 1 else '')
    if head:
        yield head[0], head[1], stack


def part(stack):
    for frame in stack:  # innermost first
        if CLIENT_IO.search(frame):
            return 'application and client'
        for name, pattern in PARTS:
            if re.search(pattern, frame):
                return name
    return 'application and client'


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('profile')
    ap.add_argument('--calls', type=int, required=True, help='calls in the measured window (calls/s x seconds)')
    ap.add_argument('--window', type=float, default=6.0, help='seconds measured')
    ap.add_argument('--margin', type=float, default=0.5, help='seconds left out at the end (the exit)')
    ap.add_argument('--hz', type=float, default=999.0, help='the sampling frequency perf-java.sh used')
    ap.add_argument('--thread', default='java', help='the calling thread (the main thread is "java")')
    a = ap.parse_args()
    all_samples = list(samples(a.profile))
    end = max(t for _, t, _ in all_samples) - a.margin
    window = [(c, s) for c, t, s in all_samples if end - a.window < t <= end]
    us = 1e6 / a.hz / a.calls
    threads = collections.Counter(c for c, _ in window)
    print(f'CPU per call by thread ({a.profile}, {len(window)} samples):')
    for name, n in threads.most_common():
        if n * us >= 0.05:
            print(f'  {n * us:7.2f} us  {name}')
    print(f'  {len(window) * us:7.2f} us  all threads')
    split = collections.Counter(part(s) for c, s in window if c == a.thread)
    print(f'The calling thread ({a.thread}) by part:')
    for name, n in split.most_common():
        print(f'  {n * us:7.2f} us  {name}')


if __name__ == '__main__':
    try:
        main()
    except BrokenPipeError:  # piped into head
        pass
