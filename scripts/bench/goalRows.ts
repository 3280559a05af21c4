import { type GoalRow, show } from './goalTable.ts'

/** The corpus the goals are set at, and the size `npm run bench` generates unless told. */
const TEN_K = 10_000

/**
 * The goals BENCHMARKS.md opens with, in its order, each with the figures that measure it.
 * `target` says in words what the parts' limits check; change both together.
 */
export const goalRows: GoalRow[] = [
  {
    id: 'cold-build',
    benchmark: 'anchors',
    goal: 'cold build of the site and all public feeds, pages and feeds live (`anchors`, 10k)',
    target: '≤ 10 s, ≤ 1536 MB; ≤ 3× Hugo; ≤ 0.33× plain Astro',
    stories: TEN_K,
    parts: [
      { figure: /^Hongyan, cold build: pages and feeds live/, label: '', show: show.seconds, atMost: 10_000 },
      { figure: /^Hongyan, cold build: peak memory/, label: 'peak', show: show.mb, atMost: 1536 },
      {
        figure: /^ratio Hongyan \/ Hugo, cold build/,
        label: '',
        show: show.times,
        atMost: 3,
        column: 'hugo',
      },
      { figure: /^Hugo, cold build: time/, label: 'Hugo', show: show.seconds, column: 'hugo' },
      {
        figure: /^ratio Hongyan \/ plain Astro, cold build/,
        label: '',
        show: show.times,
        atMost: 0.33,
        column: 'astro',
      },
      { figure: /^plain Astro, cold build: time/, label: 'plain Astro', show: show.seconds, column: 'astro' },
    ],
  },
  {
    id: 'one-story-edited',
    benchmark: 'anchors',
    goal: 'one story edited → pages and feeds live (`anchors`, 10k)',
    target: '—',
    stories: TEN_K,
    parts: [
      { figure: /^Hongyan, one story edited: pages and feeds live/, label: '', show: show.seconds },
      { figure: /^Hongyan, one story edited: peak memory/, label: 'peak', show: show.mb },
      {
        figure: /^ratio Hongyan \/ plain Astro, one story edited/,
        label: '',
        show: show.times,
        column: 'astro',
      },
      {
        figure: /^plain Astro, one story edited: time/,
        label: 'plain Astro (a full rebuild)',
        show: show.seconds,
        column: 'astro',
      },
    ],
  },
  {
    id: 'site-build',
    benchmark: 'site-build',
    goal: 'cold build, then nothing changed (`site-build`, 10k)',
    target: 'cold ≤ 10 s',
    stories: TEN_K,
    parts: [
      { figure: /^cold build: pages and feeds live/, label: 'cold', show: show.seconds, atMost: 10_000 },
      { figure: /^build process tree peak memory/, label: 'peak', show: show.mb },
      {
        figure: /^nothing changed: live build updated in place/,
        label: 'nothing changed',
        show: show.seconds,
      },
    ],
  },
  {
    id: 'cold-build-100k',
    benchmark: 'scaling',
    goal: 'cold build at 100k stories (`scaling --sizes …,100000`)',
    target: '≤ 3 min, ≤ 4096 MB',
    parts: [
      {
        figure: /^cold site build .*corpus of 100000 .*: time$/,
        label: '',
        show: show.seconds,
        atMost: 180_000,
      },
      {
        figure: /^cold site build .*corpus of 100000 .*: peak memory$/,
        label: 'peak',
        show: show.mb,
        atMost: 4096,
      },
    ],
  },
  {
    id: 'scaling',
    benchmark: 'scaling',
    goal: 'cold build against corpus size (`scaling`, [plot](docs/bench-scaling.svg))',
    target: 'a straight line',
    parts: [1_000, 3_000, 10_000].map((size) => ({
      figure: new RegExp(`^cold site build .*corpus of ${size} .*: time$`),
      label: `${size / 1000}k`,
      show: show.seconds,
    })),
  },
  {
    id: 'publish',
    benchmark: 'publish',
    goal: 'publish one story → page, section, home and RSS on disk (`publish`, 10k)',
    target: 'p95 ≤ 2 s',
    stories: TEN_K,
    parts: [
      { figure: /^publish → visible, p95/, label: 'p95', show: show.seconds, atMost: 2000 },
      { figure: /^publish → visible, p50/, label: 'p50', show: show.seconds },
    ],
  },
  {
    id: 'schedule',
    benchmark: 'schedule',
    goal: 'scheduled time → published (`schedule`, 10k)',
    target: 'p95 ≤ 5 s',
    stories: TEN_K,
    parts: [
      { figure: /^schedule delay, p95/, label: 'p95', show: show.seconds, atMost: 5000 },
      { figure: /^schedule delay, p50/, label: 'p50', show: show.seconds },
    ],
  },
  {
    id: 'partner-feed',
    benchmark: 'partner-feed',
    goal: 'partner feed server, ninjs.json gzipped, autocannon on loopback (`partner-feed`, 10k)',
    target: '500 req/s at p99 ≤ 20 ms; 304 p99 ≤ 5 ms',
    stories: TEN_K,
    parts: [
      { figure: /^requests served a second/, label: '', show: show.perSecond(' req/s'), atLeast: 500 },
      { figure: /^ninjs\.json 200, p99 at/, label: 'p99', show: show.ms, atMost: 20 },
      { figure: /^304 \(If-None-Match\), p99/, label: '304 p99', show: show.ms, atMost: 5 },
    ],
  },
  {
    id: 'feeds-static',
    benchmark: 'feeds-static',
    goal: 'public feeds generated from the 50 newest stories (`feeds-static`, 10k)',
    target: '≤ 5 s',
    stories: TEN_K,
    parts: [{ figure: /^static feed generation, total/, label: '', show: show.seconds, atMost: 5000 }],
  },
  {
    id: 'load',
    benchmark: 'load',
    goal: '60 s at 500 req/s (site, public and partner feeds) while a story is published every 5 s (`load`, 10k)',
    target: '0 errors; partner feeds p99 ≤ 20 ms; site pages p99 ≤ 50 ms',
    stories: TEN_K,
    parts: [
      { figure: /errors and non-2xx/, label: 'errors', show: show.count, atMost: 0, isSum: true },
      { figure: /^publishes that failed/, label: 'failed publishes', show: show.count, atMost: 0 },
      { figure: /^site pages: p99/, label: 'site p99', show: show.ms, atMost: 50 },
      { figure: /^partner feeds: p99/, label: 'partner p99', show: show.ms, atMost: 20 },
    ],
  },
  {
    id: 'rest-read',
    benchmark: 'rest-read',
    goal: 'REST read `GET /api/stories/<id>?depth=1` at 100 req/s (`rest-read`, 10k)',
    target: 'p50 ≤ 10 ms, p99 ≤ 40 ms',
    stories: TEN_K,
    parts: [
      { figure: /^GET \/api\/stories\/<id>\?depth=1, p50/, label: 'p50', show: show.ms, atMost: 10 },
      { figure: /^GET \/api\/stories\/<id>\?depth=1, p99/, label: 'p99', show: show.ms, atMost: 40 },
    ],
  },
  {
    id: 'image-upload',
    benchmark: 'image-upload',
    goal: '12 MP JPEG upload → 5 renditions (`image-upload`)',
    target: '≤ 2 s; ≥ 30 renditions/s',
    parts: [
      { figure: /^upload 12 MP JPEG/, label: '', show: show.seconds, atMost: 2000 },
      {
        figure: /^derivative throughput \(renditions a second, one upload/,
        label: 'one at a time',
        show: show.perSecond('/s'),
        atLeast: 30,
      },
      {
        figure: /^derivative throughput \(renditions a second, \d+ uploads at once/,
        label: '8 at once',
        show: show.perSecond('/s'),
        atLeast: 30,
      },
    ],
  },
  {
    id: 'cold-start',
    benchmark: 'cold-start',
    goal: 'kitchen cold start → first API answer (`cold-start`)',
    target: '≤ 3 s',
    parts: [{ figure: /^cold start → first API answer/, label: '', show: show.seconds, atMost: 3000 }],
  },
  {
    id: 'bench-all',
    benchmark: 'all',
    goal: '`npm run bench -- all`, nothing skipped (10k)',
    target: '≤ 20 min',
    stories: TEN_K,
    parts: [{ figure: /^every benchmark but scaling/, label: '', show: show.minutes, atMost: 20 * 60_000 }],
  },
  {
    id: 'house-terms',
    benchmark: 'terms',
    goal: 'house term check (规范用语): a 6,000-字 story against 10,000 terms, one scan (`terms`)',
    target: '≤ 20 ms',
    parts: [
      { figure: /^scan a 6,000-字 story against 10,000 house terms/, label: '', show: show.ms, atMost: 20 },
      { figure: /^build the matcher for 10,000 house terms/, label: 'built once per list in', show: show.ms },
    ],
  },
  ...searchRows({ stories: TEN_K, at: '10k', workerMb: 1536, coldMs: 60_000 }),
  ...searchRows({ stories: 100_000, at: '100k', workerMb: 3072, coldMs: 600_000 }),
  {
    id: 'deploy',
    benchmark: 'deploy',
    goal: 'publish one story → bytes uploaded to the site bucket (`deploy`, 10k)',
    target: '≤ 1 MB',
    stories: TEN_K,
    parts: [
      {
        figure: /^publish → bytes uploaded to the site bucket/,
        label: '',
        show: show.kb,
        atMost: 1024 * 1024,
      },
      { figure: /^publish → objects uploaded/, label: 'objects', show: show.count },
      { figure: /^first deploy: objects uploaded/, label: 'first deploy', show: show.count },
    ],
  },
]

/** The search goals at one corpus size (issue 20: the same table at 10k and at 100k). */
function searchRows({
  stories,
  at,
  workerMb,
  coldMs,
}: {
  stories: number
  at: string
  workerMb: number
  coldMs: number
}): GoalRow[] {
  const suffix = stories === TEN_K ? '' : `-${at}`
  return [
    {
      id: `search${suffix}`,
      benchmark: 'search',
      goal: `search kept by the kitchen: publish → found, withdraw → gone, worker memory, cold index (\`search\`, ${at})`,
      target: `p95 ≤ 10 s, ≤ 10 s; ≤ ${workerMb} MB; ≤ ${coldMs / 1000} s`,
      stories,
      parts: [
        {
          figure: /^publish → found by a term from its body, p95/,
          label: 'found p95',
          show: show.seconds,
          atMost: 10_000,
        },
        { figure: /^withdraw → no longer found, p95/, label: 'gone p95', show: show.seconds, atMost: 10_000 },
        { figure: /^worker process tree peak memory/, label: 'worker peak', show: show.mb, atMost: workerMb },
        {
          figure: /^cold search index, every live story/,
          label: 'cold index',
          show: show.seconds,
          atMost: coldMs,
        },
        {
          figure: /^cold search index: process tree peak memory/,
          label: 'peak',
          show: show.mb,
          atMost: workerMb,
        },
      ],
    },
    {
      id: `search-query${suffix}`,
      benchmark: 'search',
      goal: `a search in Chromium on loopback from the search page's form (\`/search/?q=\`), random 2-字 and 4-字 terms; recall of random 2–4 字 terms (\`search\`, ${at})`,
      target: 'first results p95 ≤ 300 ms, ≤ 1 MB fetched; recall 100 %',
      stories,
      parts: [
        {
          figure: /^Chromium, 2-字 term from the search form: first results, p95/,
          label: '2-字 p95',
          show: show.ms,
          atMost: 300,
        },
        {
          figure: /^Chromium, 4-字 term from the search form: first results, p95/,
          label: '4-字 p95',
          show: show.ms,
          atMost: 300,
        },
        {
          figure: /^Chromium from the search form: bytes fetched by one search, largest/,
          label: 'largest',
          show: show.kb,
          atMost: 1_048_576,
        },
        { figure: /^recall, /, label: 'recall', show: show.percent, atLeast: 100 },
        {
          figure: /^Chromium, 2-字 term opened cold from a link: first results, p95/,
          label: 'opened cold from a link: 2-字 p95',
          show: show.ms,
        },
        {
          figure: /^Chromium, 4-字 term opened cold from a link: first results, p95/,
          label: '4-字 p95',
          show: show.ms,
        },
      ],
    },
  ]
}
