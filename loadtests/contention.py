"""``make bench-contention``: the write path when every buyer wants the same row.

    python -m loadtests.contention            # shop checkouts: one hot product vs 1,000
    python -m loadtests.contention --seconds 20 --buyers 50

Fifty customers check out at once, each in a loop (put one unit in the cart, then
``POST /api/v1/checkout/``), first all on **one** product, then spread over **1,000**.
On the hot product every checkout updates the same stock row, so PostgreSQL serialises
them: each waits for the previous transaction's row lock. The figure that matters is the
ratio hot / spread of completed orders per second (goal at least 0.5): it stays high only
if nothing slow runs while that lock is held. That is why the payment provider is called
before the checkout's transaction (``payments.services.open_checkout``) and refunds after
it (``payments.tasks.send_refund``).

The production shape of ``loadtests/stack.py`` (gunicorn, PostgreSQL, Redis, a Celery
worker). Each scenario runs twice in turn (hot, spread, hot, spread) and is averaged.
The figures go into docs/performance-data.json under "contention".
"""

import argparse
import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from loadtests import report
from loadtests.bench import DATA_FILE
from loadtests.measure import token_for
from loadtests.stack import loadtest_stack

PORT = 8183
PRODUCTS = 1000
# Enough stock that nobody runs out during the run: the test is about the lock, not OutOfStock.
STOCK = 10**7
ADDRESS = {"name": "Load Test", "line1": "1 Bench Street", "postcode": "1000", "city": "Lyon",
           "country": "FR"}  # fmt: skip

# Runs in ``manage.py shell`` once seed_demo --bulk has made the products: one active variant
# per product gets a deep stock, and their ids are printed for the buyers.
SETUP = f"""
import json
from catalog.models import Stock, Variant
ids = list(Variant.objects.filter(is_active=True, product__is_active=True)
           .order_by("pk").values_list("pk", flat=True)[:{PRODUCTS}])
Stock.objects.filter(variant_id__in=ids).update(quantity={STOCK}, reserved=0)
print(json.dumps(ids))
"""


def call(url: str, token: str, path: str, body: dict, headers: dict | None = None) -> int:
    request = urllib.request.Request(
        url + path,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            **(headers or {}),
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def buyer(url: str, token: str, variants: list[int], seed: int, stop: float, out: dict) -> None:
    """One customer's loop until ``stop``: add a unit, check out; time the checkout."""
    pick = random.Random(seed).choice  # each buyer its own sequence, the same in every run
    while time.monotonic() < stop:
        added = call(url, token, "/api/v1/cart/items/", {"variant": pick(variants), "quantity": 1})
        started = time.monotonic()
        status = (
            call(url, token, "/api/v1/checkout/", ADDRESS, {"Idempotency-Key": str(uuid.uuid4())})
            if added in (200, 201)
            else added
        )
        elapsed = (time.monotonic() - started) * 1000
        with out["lock"]:
            if status == 201:
                out["latencies"].append(elapsed)
            else:
                out["errors"] += 1
                out["statuses"][status] = out["statuses"].get(status, 0) + 1


def scenario(url: str, tokens: list[str], variants: list[int], seconds: float) -> dict:
    out: dict = {"latencies": [], "errors": 0, "statuses": {}, "lock": threading.Lock()}
    stop = time.monotonic() + seconds
    with ThreadPoolExecutor(len(tokens)) as pool:
        for n, token in enumerate(tokens):
            pool.submit(buyer, url, token, variants, n, stop, out)
    latencies = sorted(out["latencies"])
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else None
    return {
        "orders_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies)) if latencies else None,
        "p95_ms": round(p95) if p95 else None,
        "orders": len(latencies),
        "failed": out["errors"],
        "statuses": out["statuses"],
    }


def averaged(runs: list[dict]) -> dict:
    return {
        "orders_per_s": round(statistics.mean(r["orders_per_s"] for r in runs), 1),
        "p95_ms": round(statistics.mean(r["p95_ms"] or 0 for r in runs)),
        "p50_ms": round(statistics.mean(r["p50_ms"] or 0 for r in runs)),
        "failed": sum(r["failed"] for r in runs),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args(argv)
    info = report.machine()
    with loadtest_stack(
        "shop",
        port=PORT,
        seed_args=("--bulk", str(PRODUCTS)),
        accounts={"customer": args.buyers},
        purpose="contention",
    ) as stack:
        variants = json.loads(stack.stack.manage("shell", "-c", SETUP).strip().splitlines()[-1])
        customers = [x for x in stack.logins if x["email"].startswith("load-customer-")]
        tokens = [token_for(stack.url, c["email"], c["password"]) for c in customers]
        print(f"--- {len(tokens)} buyers, {len(variants)} products", flush=True)
        scenario(stack.url, tokens, variants, 3)  # warm-up
        runs: dict[str, list[dict]] = {"hot": [], "spread": []}
        for _ in range(2):
            for name, pool in (("hot", variants[:1]), ("spread", variants)):
                result = scenario(stack.url, tokens, pool, args.seconds)
                print(f"{name}: {result}", flush=True)
                runs[name].append(result)
        description = stack.description
    hot, spread = averaged(runs["hot"]), averaged(runs["spread"])
    figures = {
        "machine": info,
        "stack": description,
        "buyers": args.buyers,
        "seconds": args.seconds,
        "products": len(variants),
        "hot": hot,
        "spread": spread,
        "ratio": round(hot["orders_per_s"] / spread["orders_per_s"], 2),
    }
    data = json.loads(DATA_FILE.read_text()) if DATA_FILE.exists() else {}
    data.setdefault("shop", {})["contention"] = figures
    DATA_FILE.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k not in ("machine",)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
