"""The key pool of every bench/compare peer (the same as producer_benchmark.cc's, in spirit).

random: 65,536 keys of 32 random letters; hot:N: N such keys; skew: every third record has
the one key "hot-key", the others the 65,536 random keys. Record i takes pool[i % pool size].
"""
import random


def key_chooser(spec):
    """A function from record index to partition key, for a --keys spec."""
    size = int(spec[4:]) if spec.startswith('hot:') else 65536
    rng = random.Random(11)
    letters = 'abcdefghijklmnopqrstuvwxyz'
    pool = [''.join(rng.choice(letters) for _ in range(32)) for _ in range(size)]
    if spec == 'skew':
        return lambda i: 'hot-key' if i % 3 == 0 else pool[i % size]
    return lambda i: pool[i % size]
