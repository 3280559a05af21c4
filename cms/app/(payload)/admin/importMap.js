import { RscEntryLexicalCell as RscEntryLexicalCell_44fe37237e0ebf4470c9990d8cb7b07e } from '@payloadcms/richtext-lexical/rsc'
import { RscEntryLexicalField as RscEntryLexicalField_44fe37237e0ebf4470c9990d8cb7b07e } from '@payloadcms/richtext-lexical/rsc'
import { LexicalDiffComponent as LexicalDiffComponent_44fe37237e0ebf4470c9990d8cb7b07e } from '@payloadcms/richtext-lexical/rsc'
import { InlineToolbarFeatureClient as InlineToolbarFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { FixedToolbarFeatureClient as FixedToolbarFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { UploadFeatureClient as UploadFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { HorizontalRuleFeatureClient as HorizontalRuleFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { LinkFeatureClient as LinkFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { OrderedListFeatureClient as OrderedListFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { UnorderedListFeatureClient as UnorderedListFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { BlockquoteFeatureClient as BlockquoteFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { UnderlineFeatureClient as UnderlineFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { BoldFeatureClient as BoldFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { ItalicFeatureClient as ItalicFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { HeadingFeatureClient as HeadingFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { ParagraphFeatureClient as ParagraphFeatureClient_e70f5e05f09f93e00b997edb1ef0c864 } from '@payloadcms/richtext-lexical/client'
import { StoryActions as StoryActions_3b491695de8095429721cb2f485e69e0 } from '../../../components/StoryActions.tsx'
import { LiveCounts as LiveCounts_6780440c59840f96422295b16466b0b8 } from '../../../components/LiveCounts.tsx'
import { PreviewLinks as PreviewLinks_b81642d12e2d47a2a0229bedf6341ecf } from '../../../components/PreviewLinks.tsx'
import { WechatActions as WechatActions_e37f9b8afc796092d2f50bdab3fc1d6f } from '../../../components/WechatActions.tsx'
import { StoryChecks as StoryChecks_0c70b16a368daed8eb19ef7b6779f576 } from '../../../components/StoryChecks.tsx'
import { SignatureRow as SignatureRow_867928ab24eb91a3c030d988ffde5293 } from '../../../components/SignatureRow.tsx'
import { StageHistoryRow as StageHistoryRow_cf23e5c7576e62f02fa7b6b4104eb9b1 } from '../../../components/StageHistoryRow.tsx'
import { StoryComments as StoryComments_54609a0a3df7f744a6f1e29a785755e2 } from '../../../components/StoryComments.tsx'
import { ColumnPackageLink as ColumnPackageLink_2a334fbf50f477bb24b84c04e26f9149 } from '../../../components/ColumnPackageLink.tsx'
import { TvPackageLink as TvPackageLink_815f2b569352c858ac88eb3c91f4b550 } from '../../../components/TvPackageLink.tsx'
import { MarkAllRead as MarkAllRead_e1c7a5a3fb072131c3c6cb6256135da8 } from '../../../components/MarkAllRead.tsx'
import { MarkRead as MarkRead_6e72413ca6788217668ac2e0ef0a1551 } from '../../../components/MarkRead.tsx'
import { NotificationsNavLink as NotificationsNavLink_7b6b8585a27544595f77bf24da5c872f } from '../../../components/NotificationsNavLink.tsx'
import { BackupStatus as BackupStatus_eca00be9ec9488e595a4eb3cdff44ff1 } from '../../../components/BackupStatus.tsx'
import { DeskNavLinks as DeskNavLinks_853701df494c9f1dbf0062fe72ff3429 } from '../../../components/desk/DeskNavLinks.tsx'
import { S3ClientUploadHandler as S3ClientUploadHandler_f97aa6c64367fa259c5bc0567239ef24 } from '@payloadcms/storage-s3/client'
import { DeskDashboard as DeskDashboard_5e53ee95133fc02d26e7363fd02629a4 } from '../../../components/desk/DeskDashboard.tsx'
import { ScheduleView as ScheduleView_227a582d54776ba54327003dfefd832d } from '../../../components/desk/ScheduleView.tsx'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "@payloadcms/richtext-lexical/rsc#RscEntryLexicalCell": RscEntryLexicalCell_44fe37237e0ebf4470c9990d8cb7b07e,
  "@payloadcms/richtext-lexical/rsc#RscEntryLexicalField": RscEntryLexicalField_44fe37237e0ebf4470c9990d8cb7b07e,
  "@payloadcms/richtext-lexical/rsc#LexicalDiffComponent": LexicalDiffComponent_44fe37237e0ebf4470c9990d8cb7b07e,
  "@payloadcms/richtext-lexical/client#InlineToolbarFeatureClient": InlineToolbarFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#FixedToolbarFeatureClient": FixedToolbarFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#UploadFeatureClient": UploadFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#HorizontalRuleFeatureClient": HorizontalRuleFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#LinkFeatureClient": LinkFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#OrderedListFeatureClient": OrderedListFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#UnorderedListFeatureClient": UnorderedListFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#BlockquoteFeatureClient": BlockquoteFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#UnderlineFeatureClient": UnderlineFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#BoldFeatureClient": BoldFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#ItalicFeatureClient": ItalicFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#HeadingFeatureClient": HeadingFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "@payloadcms/richtext-lexical/client#ParagraphFeatureClient": ParagraphFeatureClient_e70f5e05f09f93e00b997edb1ef0c864,
  "/components/StoryActions.tsx#StoryActions": StoryActions_3b491695de8095429721cb2f485e69e0,
  "/components/LiveCounts.tsx#LiveCounts": LiveCounts_6780440c59840f96422295b16466b0b8,
  "/components/PreviewLinks.tsx#PreviewLinks": PreviewLinks_b81642d12e2d47a2a0229bedf6341ecf,
  "/components/WechatActions.tsx#WechatActions": WechatActions_e37f9b8afc796092d2f50bdab3fc1d6f,
  "/components/StoryChecks.tsx#StoryChecks": StoryChecks_0c70b16a368daed8eb19ef7b6779f576,
  "/components/SignatureRow.tsx#SignatureRow": SignatureRow_867928ab24eb91a3c030d988ffde5293,
  "/components/StageHistoryRow.tsx#StageHistoryRow": StageHistoryRow_cf23e5c7576e62f02fa7b6b4104eb9b1,
  "/components/StoryComments.tsx#StoryComments": StoryComments_54609a0a3df7f744a6f1e29a785755e2,
  "/components/ColumnPackageLink.tsx#ColumnPackageLink": ColumnPackageLink_2a334fbf50f477bb24b84c04e26f9149,
  "/components/TvPackageLink.tsx#TvPackageLink": TvPackageLink_815f2b569352c858ac88eb3c91f4b550,
  "/components/MarkAllRead.tsx#MarkAllRead": MarkAllRead_e1c7a5a3fb072131c3c6cb6256135da8,
  "/components/MarkRead.tsx#MarkRead": MarkRead_6e72413ca6788217668ac2e0ef0a1551,
  "/components/NotificationsNavLink.tsx#NotificationsNavLink": NotificationsNavLink_7b6b8585a27544595f77bf24da5c872f,
  "/components/BackupStatus.tsx#BackupStatus": BackupStatus_eca00be9ec9488e595a4eb3cdff44ff1,
  "/components/desk/DeskNavLinks.tsx#DeskNavLinks": DeskNavLinks_853701df494c9f1dbf0062fe72ff3429,
  "@payloadcms/storage-s3/client#S3ClientUploadHandler": S3ClientUploadHandler_f97aa6c64367fa259c5bc0567239ef24,
  "/components/desk/DeskDashboard.tsx#DeskDashboard": DeskDashboard_5e53ee95133fc02d26e7363fd02629a4,
  "/components/desk/ScheduleView.tsx#ScheduleView": ScheduleView_227a582d54776ba54327003dfefd832d,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
