import path from 'node:path'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { en } from '@payloadcms/translations/languages/en'
import { zh } from '@payloadcms/translations/languages/zh'
import { buildConfig } from 'payload'
import sharp from 'sharp'
import { isAdmin } from './access/roles.ts'
import { AuditLog } from './collections/AuditLog.ts'
import { BackupRuns } from './collections/BackupRuns.ts'
import { ColumnIssues } from './collections/ColumnIssues/index.ts'
import { Columns } from './collections/Columns.ts'
import { HouseTerms } from './collections/HouseTerms.ts'
import { Media } from './collections/Media/index.ts'
import { PartnerLog } from './collections/PartnerLog.ts'
import { Partners } from './collections/Partners/index.ts'
import { People } from './collections/People.ts'
import { PreviewLinks } from './collections/PreviewLinks/index.ts'
import { ScheduleRuns } from './collections/ScheduleRuns.ts'
import { Sections } from './collections/Sections.ts'
import { storyBodyEditor } from './collections/Stories/bodyEditor.ts'
import { Stories } from './collections/Stories/index.ts'
import { TvEpisodes } from './collections/TvEpisodes/index.ts'
import { TvProgrammes } from './collections/TvProgrammes.ts'
import { Users } from './collections/Users.ts'
import { WechatAssets } from './collections/WechatAssets.ts'
import { WechatPushes } from './collections/WechatPushes.ts'
import { logPoolErrors } from './db/logPoolErrors.ts'
import { hardenCollection } from './hooks/cleanInput.ts'
import { partnerWebhookTask } from './jobs/partnerWebhook.ts'
import { siteBuildTask } from './jobs/siteBuild.ts'
import { storyScheduleTask } from './jobs/storySchedule.ts'
import { cmsDir, migrationsDir } from './paths.ts'
import { plateEndpoint } from './publishing/plate/plateEndpoint.ts'
import { apiLimits } from './security/apiLimits.ts'
import { serverSettings } from './settings.ts'

const settings = serverSettings()

export default buildConfig({
  secret: settings.secret,
  serverURL: settings.serverUrl,
  admin: {
    user: Users.slug,
    meta: { titleSuffix: ' · 鸿雁' },
    // Payload's default avatar is fetched from Gravatar: no editor's e-mail hash leaves the kitchen.
    avatar: 'default',
    importMap: {
      baseDir: cmsDir,
      importMapFile: path.join(cmsDir, 'app', '(payload)', 'admin', 'importMap.js'),
    },
    dateFormat: 'yyyy年M月d日 HH:mm',
    // The newest scheduled backup, or its alarm, above the dashboard (editors and admins).
    components: { beforeDashboard: ['/components/BackupStatus.tsx#BackupStatus'] },
  },
  i18n: {
    supportedLanguages: { zh, en },
    fallbackLanguage: 'zh',
  },
  // Every collection gets the hostile-input defaults: cleaned strings, length limits.
  collections: [
    Stories,
    Sections,
    People,
    Media,
    Columns,
    ColumnIssues,
    Partners,
    PartnerLog,
    Users,
    AuditLog,
    ScheduleRuns,
    BackupRuns,
    TvProgrammes,
    TvEpisodes,
    WechatPushes,
    WechatAssets,
    HouseTerms,
    PreviewLinks,
  ].map(hardenCollection),
  // Browser requests carry an editor's cookie only from these origins.
  csrf: settings.trustedOrigins,
  cors: settings.trustedOrigins,
  maxDepth: apiLimits.maxDepth,
  endpoints: [plateEndpoint],
  editor: storyBodyEditor,
  db: postgresAdapter({
    pool: { connectionString: settings.databaseUrl },
    // The schema comes only from committed migrations, never from a dev-mode push.
    push: false,
    migrationDir: migrationsDir,
  }),
  sharp,
  upload: {
    limits: { fileSize: 25 * 1024 * 1024 },
    abortOnLimit: true,
  },
  // Jobs are run by `npm run worker` (which `npm start` starts too), never by request handlers.
  jobs: {
    tasks: [storyScheduleTask, siteBuildTask, partnerWebhookTask],
    // The queue is worked by the workers only; over HTTP only admins may touch it.
    access: { run: isAdmin, queue: isAdmin, cancel: isAdmin },
  },
  typescript: {
    outputFile: path.join(cmsDir, 'payload-types.ts'),
  },
  graphQL: {
    maxComplexity: 500,
    disablePlaygroundInProduction: true,
    schemaOutputFile: path.join(cmsDir, 'schema.graphql'),
  },
  onInit: logPoolErrors,
  telemetry: false,
})
