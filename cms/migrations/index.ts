import * as migration_20261123_211042_initial from './20261123_211042_initial'
import * as migration_20261123_212534_workflow from './20261123_212534_workflow'
import * as migration_20261123_213100_audit_log from './20261123_213100_audit_log'
import * as migration_20261123_213508_media_owner from './20261123_213508_media_owner'
import * as migration_20261123_214316_schedules from './20261123_214316_schedules'
import * as migration_20261123_230804_site_build from './20261123_230804_site_build'
import * as migration_20261123_233232_partners from './20261123_233232_partners'
import * as migration_20261124_000538_columns from './20261124_000538_columns'
import * as migration_20261206_061258_backup_runs from './20261206_061258_backup_runs'
import * as migration_20261206_061340_former_slugs from './20261206_061340_former_slugs'
import * as migration_20261206_082745_tv_wechat from './20261206_082745_tv_wechat'
import * as migration_20261206_084431_wechat_author from './20261206_084431_wechat_author'
import * as migration_20261206_084750_checks_preview from './20261206_084750_checks_preview'
import * as migration_20261206_092125_remove_schedule_drawer from './20261206_092125_remove_schedule_drawer'
import * as migration_20261206_113257_review_levels from './20261206_113257_review_levels'
import * as migration_20261206_113540_audit_signed_restored from './20261206_113540_audit_signed_restored'
import * as migration_20261206_113750_inbox_comments from './20261206_113750_inbox_comments'
import * as migration_20261206_145327_search_index from './20261206_145327_search_index'
import * as migration_20261206_145400_site_deploy from './20261206_145400_site_deploy'
import * as migration_20261206_145424_media_object_storage from './20261206_145424_media_object_storage'
import * as migration_20261206_150500_rate_windows from './20261206_150500_rate_windows'
import * as migration_20261206_163900_search_index_state from './20261206_163900_search_index_state'
import * as migration_20261206_181500_search_tokens_c from './20261206_181500_search_tokens_c'
import * as migration_20261206_223713_texts_parent_index from './20261206_223713_texts_parent_index'
import * as migration_20261206_230000_search_newest from './20261206_230000_search_newest'

export const migrations = [
  {
    up: migration_20261123_211042_initial.up,
    down: migration_20261123_211042_initial.down,
    name: '20261123_211042_initial',
  },
  {
    up: migration_20261123_212534_workflow.up,
    down: migration_20261123_212534_workflow.down,
    name: '20261123_212534_workflow',
  },
  {
    up: migration_20261123_213100_audit_log.up,
    down: migration_20261123_213100_audit_log.down,
    name: '20261123_213100_audit_log',
  },
  {
    up: migration_20261123_213508_media_owner.up,
    down: migration_20261123_213508_media_owner.down,
    name: '20261123_213508_media_owner',
  },
  {
    up: migration_20261123_214316_schedules.up,
    down: migration_20261123_214316_schedules.down,
    name: '20261123_214316_schedules',
  },
  {
    up: migration_20261123_230804_site_build.up,
    down: migration_20261123_230804_site_build.down,
    name: '20261123_230804_site_build',
  },
  {
    up: migration_20261123_233232_partners.up,
    down: migration_20261123_233232_partners.down,
    name: '20261123_233232_partners',
  },
  {
    up: migration_20261124_000538_columns.up,
    down: migration_20261124_000538_columns.down,
    name: '20261124_000538_columns',
  },
  {
    up: migration_20261206_061258_backup_runs.up,
    down: migration_20261206_061258_backup_runs.down,
    name: '20261206_061258_backup_runs',
  },
  {
    up: migration_20261206_061340_former_slugs.up,
    down: migration_20261206_061340_former_slugs.down,
    name: '20261206_061340_former_slugs',
  },
  {
    up: migration_20261206_082745_tv_wechat.up,
    down: migration_20261206_082745_tv_wechat.down,
    name: '20261206_082745_tv_wechat',
  },
  {
    up: migration_20261206_084431_wechat_author.up,
    down: migration_20261206_084431_wechat_author.down,
    name: '20261206_084431_wechat_author',
  },
  {
    up: migration_20261206_084750_checks_preview.up,
    down: migration_20261206_084750_checks_preview.down,
    name: '20261206_084750_checks_preview',
  },
  {
    up: migration_20261206_092125_remove_schedule_drawer.up,
    down: migration_20261206_092125_remove_schedule_drawer.down,
    name: '20261206_092125_remove_schedule_drawer',
  },
  {
    up: migration_20261206_113257_review_levels.up,
    down: migration_20261206_113257_review_levels.down,
    name: '20261206_113257_review_levels',
  },
  {
    up: migration_20261206_113540_audit_signed_restored.up,
    down: migration_20261206_113540_audit_signed_restored.down,
    name: '20261206_113540_audit_signed_restored',
  },
  {
    up: migration_20261206_113750_inbox_comments.up,
    down: migration_20261206_113750_inbox_comments.down,
    name: '20261206_113750_inbox_comments',
  },
  {
    up: migration_20261206_145327_search_index.up,
    down: migration_20261206_145327_search_index.down,
    name: '20261206_145327_search_index',
  },
  {
    up: migration_20261206_145400_site_deploy.up,
    down: migration_20261206_145400_site_deploy.down,
    name: '20261206_145400_site_deploy',
  },
  {
    up: migration_20261206_145424_media_object_storage.up,
    down: migration_20261206_145424_media_object_storage.down,
    name: '20261206_145424_media_object_storage',
  },
  {
    up: migration_20261206_150500_rate_windows.up,
    down: migration_20261206_150500_rate_windows.down,
    name: '20261206_150500_rate_windows',
  },
  {
    up: migration_20261206_163900_search_index_state.up,
    down: migration_20261206_163900_search_index_state.down,
    name: '20261206_163900_search_index_state',
  },
  {
    up: migration_20261206_181500_search_tokens_c.up,
    down: migration_20261206_181500_search_tokens_c.down,
    name: '20261206_181500_search_tokens_c',
  },
  {
    up: migration_20261206_223713_texts_parent_index.up,
    down: migration_20261206_223713_texts_parent_index.down,
    name: '20261206_223713_texts_parent_index',
  },
  {
    up: migration_20261206_230000_search_newest.up,
    down: migration_20261206_230000_search_newest.down,
    name: '20261206_230000_search_newest',
  },
]
