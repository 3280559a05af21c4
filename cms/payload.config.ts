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
import { mediaStorage } from './collections/Media/storage.ts'
import { Notifications } from './collections/Notifications.ts'
import { PartnerLog } from './collections/PartnerLog.ts'
import { Partners } from './collections/Partners/index.ts'
import { People } from './collections/People.ts'
import { PreviewLinks } from './collections/PreviewLinks/index.ts'
import { ScheduleRuns } from './collections/ScheduleRuns.ts'
import { Sections } from './collections/Sections.ts'
import { storyBodyEditor } from './collections/Stories/bodyEditor.ts'
import { deskScheduleEndpoint } from './collections/Stories/deskScheduleEndpoint.ts'
import { Stories } from './collections/Stories/index.ts'
import { StoryComments } from './collections/StoryComments.ts'
import { TvEpisodes } from './collections/TvEpisodes/index.ts'
import { TvProgrammes } from './collections/TvProgrammes.ts'
import { Users } from './collections/Users.ts'
import { WechatAssets } from './collections/WechatAssets.ts'
import { WechatPushes } from './collections/WechatPushes.ts'
import { logPoolErrors } from './db/logPoolErrors.ts'
import { indexParents } from './db/parentIndexes.ts'
import { hardenCollection } from './hooks/cleanInput.ts'
import { cdnPurgeTask } from './jobs/cdnPurge.ts'
import { partnerWebhookTask } from './jobs/partnerWebhook.ts'
import { siteBuildTask } from './jobs/siteBuild.ts'
import { storyScheduleTask } from './jobs/storySchedule.ts'
import { smtpEmailAdapter } from './lib/smtpEmail.ts'
import { sweepUploadTemp } from './lib/uploadTempSweep.ts'
import { cmsDir, migrationsDir, uploadTempDir } from './paths.ts'
import { plateEndpoint } from './publishing/plate/plateEndpoint.ts'
import { searchEndpoint } from './publishing/search/searchEndpoint.ts'
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
    components: {
      beforeDashboard: ['/components/BackupStatus.tsx#BackupStatus'],
      // 工作台 and 排期 first in the nav; 工作台 is the admin's home (Payload's dashboard below it).
      beforeNavLinks: ['/components/desk/DeskNavLinks.tsx#DeskNavLinks'],
      views: {
        dashboard: { Component: '/components/desk/DeskDashboard.tsx#DeskDashboard' },
        schedule: { Component: '/components/desk/ScheduleView.tsx#ScheduleView', path: '/schedule' },
      },
      // 通知 (n): the user's inbox and how many are unread.
      afterNavLinks: ['/components/NotificationsNavLink.tsx#NotificationsNavLink'],
    },
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
    Notifications,
    StoryComments,
  ].map(hardenCollection),
  // Browser requests carry an editor's cookie only from these origins.
  csrf: settings.trustedOrigins,
  cors: settings.trustedOrigins,
  maxDepth: apiLimits.maxDepth,
  endpoints: [plateEndpoint, deskScheduleEndpoint, searchEndpoint],
  editor: storyBodyEditor,
  db: postgresAdapter({
    pool: { connectionString: settings.databaseUrl },
    // The schema comes only from committed migrations, never from a dev-mode push.
    push: false,
    migrationDir: migrationsDir,
    afterSchemaInit: [indexParents],
  }),
  // E-mail only with HONGYAN_SMTP_URL; the inbox (通知) works without it.
  email: smtpEmailAdapter(),
  sharp,
  // Media in the S3-compatible bucket when HONGYAN_S3_BUCKET is set, else in the media folder.
  plugins: [mediaStorage()],
  upload: {
    // One file a request (the media collection takes one; the API guard refuses file parts on
    // every other route) and no body past the guard's multipart check: a second file part or
    // a larger body fails the parse, which removes what it wrote.
    limits: { fileSize: 25 * 1024 * 1024, files: 1 },
    requestSizeLimit: 26 * 1024 * 1024,
    abortOnLimit: true,
    // An upload streams to a temporary file (removed after the request), not into memory: the
    // guard and the renditions read it from there, and the bucket receives it as a stream.
    useTempFiles: true,
    tempFileDir: uploadTempDir,
  },
  // Jobs are run by `npm run worker` (which `npm start` starts too), never by request handlers.
  jobs: {
    tasks: [storyScheduleTask, siteBuildTask, partnerWebhookTask, cdnPurgeTask],
    // The queue is worked by the workers only; over HTTP only admins may touch it.
    access: { run: isAdmin, queue: isAdmin, cancel: isAdmin },
  },
  typescript: {
    outputFile: path.join(cmsDir, 'payload-types.ts'),
    // Types are generated by `npm run generate:types` only: left on, every process that
    // starts Payload outside production (each worker, each script, each test) spawned
    // `payload generate:types` to rewrite this file behind it, and a killed worker left it running.
    autoGenerate: false,
  },
  graphQL: {
    maxComplexity: 500,
    disablePlaygroundInProduction: true,
    schemaOutputFile: path.join(cmsDir, 'schema.graphql'),
  },
  onInit: (payload) => {
    logPoolErrors(payload)
    // What a killed kitchen left in the upload temp folder; never holds up the start.
    void sweepUploadTemp({ payload }).catch((err: unknown) =>
      payload.logger.error({ msg: 'the sweep of stale upload temp files failed', err }),
    )
  },
  telemetry: false,
})
