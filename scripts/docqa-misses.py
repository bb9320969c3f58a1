#!/usr/bin/env python3
"""Where the offline documentation answers lose their keywords.

usage: scripts/docqa-misses.py <eval outdir> [set ...]   (sets: dev tune docqa2 docqa3; default all four)

Reads the predictions `askpanda eval docqa --out` wrote (as /work/lead/evals.sh names them:
<outdir>/<set>.jsonl) and, per answerable question, prints the rank of the gold passage, the answer
keywords the answer misses and whether each is in the retrieved top-5 passages. Misses fall in:
  a  evidence not retrieved in the top 5 (retrieval)
  b  retrieved, but the quoted sentences are not the evidence (wrong sentence)
  c  the evidence is quoted, the keyword sits in a neighbouring sentence / row / heading
  d  false decline: abstained though the evidence was in the top 5
  e  unanswerable question answered with a quote
Tuning and dev sets only; never point it at a blind set.
"""
import json
import re
import statistics
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
H = ROOT / 'test/fixtures/heldout'
SETS = {
    'dev': ('/work/shared/eval/docqa-dev.jsonl', ROOT / 'test/fixtures/docqa-unanswerable-own.jsonl'),
    'tune': (H / 'docqa.jsonl', H / 'docqa-unanswerable.jsonl'),
    'docqa2': (H / 'docqa2/docqa2.jsonl', H / 'docqa2/unanswerable.jsonl'),
    'docqa3': (H / 'docqa3/docqa3.jsonl', H / 'docqa3/unanswerable.jsonl'),
}
FOLD = {'\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u00a0': ' '}


def norm(t):
    t = unicodedata.normalize('NFKC', t or '')
    t = ''.join(FOLD.get(c, c) for c in t)
    return re.sub(r'\s+', ' ', t).strip().lower()


def read(path):
    return [json.loads(l) for l in Path(path).read_text().splitlines() if l.strip()]


def answerable(item):
    return item.get('answerable') is not False and len(item.get('evidence') or []) > 0


def body(answer):
    """The quoted text of a reply (without its citation list)."""
    return answer.split('\n\nSources')[0]


def main():
    outdir = Path(sys.argv[1])
    names = sys.argv[2:] or list(SETS)
    totals = Counter()
    for name in names:
        gold_file, unans_file = SETS[name]
        items = read(gold_file) + read(unans_file)
        preds = {p['id']: p for p in read(outdir / f'{name}.jsonl')}
        classes = Counter()
        lengths = []
        print(f'== {name}')
        for item in items:
            p = preds.get(item['id'], {})
            answer = norm(p.get('answer', ''))
            passages = [norm(x) for x in p.get('passages', [])]
            if not p.get('abstained'):
                lengths.append(len(p.get('answer', '')))
            if not answerable(item):
                if not p.get('abstained'):
                    classes['e'] += 1
                    print(f"  e {item['id']}: {item['question'][:90]!r}\n      -> {body(p.get('answer', ''))[:300]!r}")
                continue
            ev = [norm(e) for e in item['evidence']]
            rank = next((i + 1 for i, t in enumerate(passages) if any(e in t for e in ev)), None)
            kws = [norm(k) for k in item['answer_keywords']]
            missing = [k for k in kws if k not in answer]
            if not missing:
                continue
            top5 = ' '.join(passages[:5])
            quoted_evidence = any(e in answer for e in ev)
            for k in missing:
                if k not in top5:
                    c = 'a'
                elif p.get('abstained'):
                    c = 'd'
                elif quoted_evidence or any(kw in answer for kw in kws):
                    c = 'c'
                else:
                    c = 'b'
                classes[c] += 1 / len(kws)
                where = 'in top5' if k in top5 else 'NOT in top5'
                print(f"  {c} {item['id']} rank={rank} missing={k!r} ({where}) q={item['question'][:80]!r}")
        share = ', '.join(f'{c}={classes[c]:.2f}' for c in 'abcde')
        med = statistics.median(lengths) if lengths else 0
        print(f'  -- {name}: keyword-weighted misses {share}; median reply length {med:.0f} chars')
        totals.update(classes)
    print('== all: ' + ', '.join(f'{c}={totals[c]:.2f}' for c in 'abcde'))


if __name__ == '__main__':
    main()
