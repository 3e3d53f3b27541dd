#!/usr/bin/env python3
"""Build a >1 GiB Prometheus data directory from promtool blocks: the original blocks plus
copies with fresh ULIDs whose meta.json time ranges are shifted back so no two overlap."""
import json, os, random, shutil, sys, time
src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
ALPH = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
def ulid(ms):
    t = "".join(ALPH[(ms >> (5 * i)) & 31] for i in reversed(range(10)))
    return t + "".join(random.choice(ALPH) for _ in range(16))
random.seed(7)
blocks = sorted(d for d in os.listdir(src) if os.path.isfile(os.path.join(src, d, "meta.json")))
metas = [json.load(open(os.path.join(src, b, "meta.json"))) for b in blocks]
span = max(m["maxTime"] for m in metas) - min(m["minTime"] for m in metas)
shift_unit = ((span // 7200000) + 1) * 7200000
os.makedirs(dst, exist_ok=True)
n = 0
for k in range(copies):
    for b, m in zip(blocks, metas):
        m2 = json.loads(json.dumps(m))
        m2["minTime"] -= k * shift_unit
        m2["maxTime"] -= k * shift_unit
        u = ulid(int(time.time() * 1000) - k * 1000 + n)
        n += 1
        m2["ulid"] = u
        m2["compaction"]["sources"] = [u]
        d = os.path.join(dst, u)
        shutil.copytree(os.path.join(src, b), d)
        json.dump(m2, open(os.path.join(d, "meta.json"), "w"), indent="\t")
print(n, "blocks")
