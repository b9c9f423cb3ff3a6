// Answer quality of client-side search libraries on the same sets, protocol and decision rule
// as `baton-kb eval` (kb/src/eval.rs, shared/eval/README.md): P@1 and MRR@10 over in-scope
// queries; answered-correctly, out-of-scope recall, overall accuracy, helped and misled with the
// top article shown as sure from a score threshold picked on clinc150-val only (maximising
// (answered + out-of-scope recall) / 2) and held fixed, and the first SHOWN_RESULTS listed
// otherwise; index build time and query latency. Libraries run with default-ish settings.
//
//   node tests/bench/answers-compare.mjs ../shared/eval/clinc150-val ../shared/eval/banking77
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import lunr from 'lunr';
import FlexSearch from 'flexsearch';
import Fuse from 'fuse.js';

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error('usage: answers-compare.mjs DIR... (the first DIR tunes the thresholds)');
  process.exit(2);
}

const load = (dir) => ({
  name: basename(dir),
  kb: JSON.parse(readFileSync(`${dir}/kb.json`, 'utf8')).map((a) => ({ ...a, phrasings: (a.phrasings || []).join(' \n ') })),
  queries: readFileSync(`${dir}/queries.jsonl`, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
});

// Each engine: build(kb) -> search(q) -> [{id, score}] best first (score may be undefined).
const ENGINES = {
  MiniSearch: (kb) => {
    const ms = new MiniSearch({ fields: ['title', 'phrasings', 'body'], storeFields: [], searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true } });
    ms.addAll(kb);
    return (q) => ms.search(q).map((r) => ({ id: r.id, score: r.score }));
  },
  Lunr: (kb) => {
    const idx = lunr(function () {
      this.ref('id');
      this.field('title', { boost: 2 });
      this.field('phrasings');
      this.field('body');
      kb.forEach((d) => this.add(d));
    });
    return (q) => {
      const terms = lunr.tokenizer(q).map((t) => t.toString()).filter(Boolean);
      return idx.query((query) => terms.forEach((t) => query.term(t, { presence: lunr.Query.presence.OPTIONAL }))).map((r) => ({ id: r.ref, score: r.score }));
    };
  },
  FlexSearch: (kb) => {
    const doc = new FlexSearch.Document({ document: { id: 'id', index: ['title', 'phrasings', 'body'] }, tokenize: 'forward' });
    kb.forEach((d) => doc.add(d));
    return (q) => {
      const seen = new Map();
      for (const field of doc.search(q, { limit: 10, suggest: true })) field.result.forEach((id, i) => { if (!seen.has(id) || seen.get(id) > i) seen.set(id, i); });
      // FlexSearch returns ranks, not scores: order by best rank across fields.
      return [...seen.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => ({ id, score: undefined }));
    };
  },
  'Fuse.js': (kb) => {
    const fuse = new Fuse(kb, { keys: [{ name: 'title', weight: 2 }, 'phrasings', 'body'], includeScore: true, ignoreLocation: true, threshold: 0.6 });
    // Fuse scores 0 (perfect) .. 1: turn into higher-is-better.
    return (q) => fuse.search(q, { limit: 10 }).map((r) => ({ id: r.item.id, score: 1 - r.score }));
  },
};

function evaluate(engine, set) {
  const t0 = performance.now();
  const search = ENGINES[engine](set.kb);
  const build = performance.now() - t0;
  const lat = [];
  const outcomes = set.queries.map(({ query, relevant }) => {
    const t = performance.now();
    const hits = search(query).slice(0, 10);
    lat.push(performance.now() - t);
    const rank = hits.findIndex((h) => relevant.includes(String(h.id)));
    return { rank: rank < 0 ? null : rank, score: hits.length ? hits[0].score ?? Infinity : -Infinity, inScope: relevant.length > 0 };
  });
  lat.sort((a, b) => a - b);
  return { build, lat, outcomes };
}

/** Articles a widget lists for a query (baton_core::answers::shown::SHOWN_RESULTS): the rule
 * Baton's rows are judged by — the top article shown as *sure* from the threshold on, otherwise
 * these as related reading — applied to every engine alike. */
const SHOWN_RESULTS = 6;

function metrics(outcomes, threshold) {
  const ins = outcomes.filter((o) => o.inScope), oos = outcomes.filter((o) => !o.inScope);
  const n = Math.max(ins.length, 1);
  const sure = (o) => o.score >= threshold;
  const answered = ins.filter((o) => o.rank === 0 && sure(o)).length;
  const declined = oos.filter((o) => !sure(o)).length;
  return {
    p1: ins.filter((o) => o.rank === 0).length / n,
    mrr: ins.reduce((s, o) => s + (o.rank === null ? 0 : 1 / (o.rank + 1)), 0) / n,
    answered: answered / n,
    oos: oos.length ? declined / oos.length : NaN,
    accuracy: (answered + declined) / outcomes.length,
    helped: ins.filter((o) => (sure(o) ? o.rank === 0 : o.rank !== null && o.rank < SHOWN_RESULTS)).length / n,
    misled: outcomes.filter((o) => sure(o) && !(o.inScope && o.rank === 0)).length / outcomes.length,
  };
}

function tune(outcomes) {
  const candidates = [...new Set(outcomes.map((o) => o.score).filter(Number.isFinite))].sort((a, b) => a - b);
  let best = { t: -Infinity, v: -1 };
  for (const t of [-Infinity, ...candidates]) {
    const m = metrics(outcomes, t);
    const v = (m.answered + (Number.isNaN(m.oos) ? 0 : m.oos)) / 2;
    if (v > best.v) best = { t, v };
  }
  return best.t;
}

const sets = dirs.map(load);
const thresholds = {};
console.log('| set | engine | P@1 | MRR@10 | answered correctly | out-of-scope recall | overall accuracy | helped | misled | ECE | index build | query p50 | query p95 |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const set of sets) {
  for (const engine of Object.keys(ENGINES)) {
    const { build, lat, outcomes } = evaluate(engine, set);
    if (!(engine in thresholds)) thresholds[engine] = tune(outcomes); // first set only
    const m = metrics(outcomes, thresholds[engine]);
    const pct = (p) => lat[Math.round((lat.length - 1) * p)].toFixed(3);
    const oos = Number.isNaN(m.oos) ? '—' : m.oos.toFixed(3);
    // ECE: these engines' scores are not probabilities, so there is no calibration to measure.
    console.log(`| ${set.name} | ${engine} | ${m.p1.toFixed(3)} | ${m.mrr.toFixed(3)} | ${m.answered.toFixed(3)} | ${oos} | ${m.accuracy.toFixed(3)} | ${m.helped.toFixed(3)} | ${m.misled.toFixed(3)} | — | ${build.toFixed(1)} ms | ${pct(0.5)} ms | ${pct(0.95)} ms |`);
  }
}
