/**
 * The layer rules of docs/design.md (after ../shared/DESIGN.md): imports go downward only, folders never
 * import each other in a circle, renderers stay pure, cms never reaches into scripts or tests.
 * `npm run lint` runs this; tests/unit/layers.test.ts proves a planted back-arrow fails it.
 */

// From the top of the house to the bottom. A module may import its own layer (without a
// folder cycle) and any layer below it, never one above.
const layers = [
  {
    name: 'wiring',
    path: '^cms/(payload\\.config\\.ts|next\\.config\\.ts|proxy\\.ts|app/|components/|seed/)',
  },
  { name: 'collections', path: '^cms/collections/' },
  { name: 'triggers', path: '^cms/(hooks|jobs)/' },
  { name: 'outlets', path: '^cms/(publishing|ops)/' },
  { name: 'site', path: '^site/' },
  { name: 'renderers', path: '^cms/channels/' },
  {
    name: 'foundations',
    path: '^cms/((workflow|access|fields|security|db|lib)/|(slugs|settings|paths|payload-types)\\.ts$)',
  },
]

const upward = layers.flatMap((layer, rank) =>
  rank === 0
    ? []
    : [
        {
          name: `no-upward-from-${layer.name}`,
          comment: `${layer.name} may import only its own layer and the ones below it (docs/design.md)`,
          severity: 'error',
          from: { path: layer.path },
          to: { path: layers.slice(0, rank).map((above) => above.path) },
        },
      ],
)

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-folder-cycles',
      comment: 'folders never import each other in a circle',
      severity: 'error',
      scope: 'folder',
      // cms/'s own files are the wiring (payload.config.ts) and the foundations (slugs.ts…):
      // their layers are checked above, so the folder itself is left out here.
      from: { path: '^(cms|site|scripts)/', pathNot: '^cms/?$' },
      to: { circular: true, pathNot: '^cms/?$' },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^(cms|site|scripts)/' },
      to: { circular: true },
    },
    {
      name: 'renderers-are-pure',
      comment: 'cms/channels turns a plate into bytes: no Payload, no database, no other layer',
      severity: 'error',
      from: { path: '^cms/channels/' },
      to: {
        pathNot: ['^cms/channels/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'renderers-do-no-io',
      comment: 'cms/channels is pure: the clock and the bytes come in, bytes go out',
      severity: 'error',
      from: { path: '^cms/channels/' },
      to: { dependencyTypes: ['core'], pathNot: ['^(node:)?(crypto|path|util|url)$'] },
    },
    {
      name: 'site-reaches-only-renderers',
      comment: 'the site imports the renderers (types and html helpers) and nothing else of cms',
      severity: 'error',
      from: { path: '^site/' },
      to: { path: '^cms/', pathNot: '^cms/channels/' },
    },
    {
      name: 'cms-imports-the-site-planner-only',
      comment: 'cms reaches the site through its planner entry point, whose digest keys the pages',
      severity: 'error',
      from: { path: '^cms/' },
      to: { path: '^site/', pathNot: '^site/planner/index\\.ts$' },
    },
    {
      name: 'site-planner-imports-only-itself-and-renderers',
      comment:
        'the planner digest (site/planner/digest.ts) covers site/planner and cms/channels: the planner reaches nothing else',
      severity: 'error',
      from: { path: '^site/planner/' },
      to: { pathNot: ['^site/planner/', '^cms/channels/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'cms-never-imports-scripts-or-tests',
      severity: 'error',
      from: { path: '^cms/' },
      to: { path: '^(scripts|tests)/' },
    },
    {
      name: 'scripts-never-import-tests',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.next|\\.astro)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.mjs', '.js', '.astro'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
