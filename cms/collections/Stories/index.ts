import type { CollectionConfig } from 'payload'
import { text } from 'payload/shared'
import { isDeskOrAdmin, isLoggedIn } from '../../access/roles.ts'
import { readStories, updateStories } from '../../access/stories.ts'
import { validateTags } from '../../channels/tags.ts'
import { createdByField } from '../../fields/createdBy.ts'
import { pinyinSlugField } from '../../fields/slug.ts'
import { auditChange, auditDelete } from '../../hooks/audit.ts'
import { indexStoryForSearch } from '../../hooks/indexForSearch.ts'
import { notifyPartners } from '../../hooks/notifyPartners.ts'
import { notifyStoryChanges } from '../../hooks/notifyStoryChanges.ts'
import { rebuildSiteAfterStoryChange, rebuildSiteAfterStoryDelete } from '../../hooks/rebuildSite.ts'
import { stampCreator } from '../../hooks/stampCreator.ts'
import { collectionSlugs } from '../../slugs.ts'
import { stageLabels, stages } from '../../workflow/stages.ts'
import { storyBodyEditor } from './bodyEditor.ts'
import { budgetEndpoints } from './budgetEndpoints.ts'
import { checksEndpoints } from './checksEndpoint.ts'
import { enforceStoryChecks } from './hooks/enforceStoryChecks.ts'
import { enforceWorkflow } from './hooks/enforceWorkflow.ts'
import { keepFormerSlugs } from './hooks/keepFormerSlugs.ts'
import { markRestore } from './hooks/markRestore.ts'
import { publicReadsArePublished } from './hooks/publicReadsArePublished.ts'
import { refuseDeletingLiveStory } from './hooks/refuseDeletingLiveStory.ts'
import { storyLivePreview } from './livePreview.ts'
import { previewEndpoints } from './previewEndpoints.ts'
import { scheduleEndpoints } from './scheduleEndpoints.ts'
import { wechatEndpoints } from './wechatEndpoints.ts'

export const MAX_VERSIONS_PER_STORY = 100

export const Stories: CollectionConfig = {
  slug: collectionSlugs.stories,
  labels: {
    singular: { zh: '稿件', en: 'Story' },
    plural: { zh: '稿件', en: 'Stories' },
  },
  defaultSort: '-publishedAt',
  admin: {
    useAsTitle: 'title',
    defaultColumns: ['title', 'section', 'stage', 'publishedAt', 'updatedAt'],
    listSearchableFields: ['title', 'kicker', 'subtitle', 'summary'],
    group: { zh: '内容', en: 'Content' },
    livePreview: storyLivePreview,
  },
  access: {
    read: readStories,
    readVersions: isLoggedIn,
    create: isLoggedIn,
    update: updateStories,
    delete: isDeskOrAdmin,
  },
  endpoints: [
    ...scheduleEndpoints,
    ...wechatEndpoints,
    ...budgetEndpoints,
    ...previewEndpoints,
    ...checksEndpoints,
  ],
  hooks: {
    beforeOperation: [publicReadsArePublished, markRestore],
    beforeChange: [stampCreator, enforceWorkflow, enforceStoryChecks, keepFormerSlugs],
    beforeDelete: [refuseDeletingLiveStory],
    afterChange: [
      auditChange,
      indexStoryForSearch,
      rebuildSiteAfterStoryChange,
      notifyPartners,
      notifyStoryChanges,
    ],
    afterDelete: [auditDelete, rebuildSiteAfterStoryDelete],
  },
  versions: {
    maxPerDoc: MAX_VERSIONS_PER_STORY,
    drafts: {
      autosave: { interval: 2000 },
      // No 预约发布 drawer: every schedule is made (and checked) by the schedule API, so each
      // pending one is listed by GET /api/stories/:id/schedule.
      schedulePublish: false,
    },
  },
  fields: [
    {
      name: 'kicker',
      type: 'text',
      label: { zh: '肩题', en: 'Kicker' },
    },
    {
      name: 'title',
      type: 'text',
      required: true,
      label: { zh: '主题', en: 'Title' },
    },
    {
      name: 'subtitle',
      type: 'text',
      label: { zh: '副题', en: 'Subtitle' },
    },
    {
      name: 'summary',
      type: 'textarea',
      label: { zh: '导语', en: 'Summary' },
    },
    {
      name: 'body',
      type: 'richText',
      label: { zh: '正文', en: 'Body' },
      editor: storyBodyEditor,
    },
    {
      type: 'collapsible',
      label: { zh: '公众号版本（可选）', en: 'WeChat edition (optional)' },
      admin: { initCollapsed: true },
      fields: [
        {
          name: 'wechat',
          type: 'group',
          label: false,
          fields: [
            {
              name: 'title',
              type: 'text',
              label: { zh: '公众号标题', en: 'WeChat title' },
              admin: {
                description: { zh: '不填则用主题；公众号上限 64 字', en: 'Empty: the title; at most 64' },
              },
            },
            {
              name: 'author',
              type: 'text',
              label: { zh: '公众号作者', en: 'WeChat author' },
              admin: {
                description: {
                  zh: '不填则取署名中的姓名；公众号上限 8 字',
                  en: 'Empty: the names in the byline; at most 8',
                },
              },
            },
            {
              name: 'digest',
              type: 'textarea',
              label: { zh: '公众号摘要', en: 'WeChat digest' },
              admin: {
                description: { zh: '不填则用导语；公众号上限 120 字', en: 'Empty: the summary; at most 120' },
              },
            },
          ],
        },
      ],
    },
    {
      name: 'heroImage',
      type: 'upload',
      relationTo: collectionSlugs.media,
      label: { zh: '题图', en: 'Hero image' },
    },
    {
      name: 'byline',
      type: 'group',
      label: { zh: '署名', en: 'Byline' },
      fields: [
        {
          name: 'authors',
          type: 'relationship',
          relationTo: collectionSlugs.users,
          hasMany: true,
          label: { zh: '作者（本站）', en: 'Staff authors' },
        },
        {
          name: 'text',
          type: 'text',
          label: { zh: '署名文字', en: 'Byline text' },
          admin: {
            description: {
              zh: '如“记者 王晓燕 通讯员 李强”',
              en: 'Free text, e.g. reporters and correspondents',
            },
          },
        },
      ],
    },
    {
      name: 'source',
      type: 'text',
      label: { zh: '来源', en: 'Source' },
    },
    {
      name: 'dateline',
      type: 'text',
      label: { zh: '电头地点', en: 'Dateline place' },
    },
    {
      name: 'people',
      type: 'relationship',
      relationTo: collectionSlugs.people,
      hasMany: true,
      label: { zh: '相关劳模工匠', en: 'People featured' },
    },
    {
      // First in the sidebar: what the story's stage and the user's role allow, as buttons.
      name: 'storyActions',
      type: 'ui',
      label: { zh: '稿件操作', en: 'Actions' },
      admin: { position: 'sidebar', components: { Field: '/components/StoryActions.tsx#StoryActions' } },
    },
    {
      // Then the counts: they follow the body as it is typed.
      name: 'liveCounts',
      type: 'ui',
      label: { zh: '字数统计', en: 'Live counts' },
      admin: { position: 'sidebar', components: { Field: '/components/LiveCounts.tsx#LiveCounts' } },
    },
    {
      name: 'section',
      type: 'relationship',
      relationTo: collectionSlugs.sections,
      required: true,
      label: { zh: '栏目', en: 'Section' },
      admin: { position: 'sidebar' },
    },
    {
      name: 'tags',
      type: 'text',
      hasMany: true,
      maxRows: 20,
      validate: (value, options) => {
        const refusal = validateTags(value)
        return refusal === true ? text(value as never, options as never) : refusal
      },
      label: { zh: '标签', en: 'Tags' },
      admin: { position: 'sidebar' },
    },
    pinyinSlugField({ useAsSlug: 'title' }),
    {
      // Kept by the keepFormerSlugs hook alone: what a client sends here is ignored.
      name: 'formerSlugs',
      type: 'array',
      label: { zh: '旧网址别名', en: 'Former slugs' },
      labels: { singular: { zh: '旧网址', en: 'Former slug' }, plural: { zh: '旧网址', en: 'Former slugs' } },
      admin: {
        position: 'sidebar',
        readOnly: true,
        initCollapsed: true,
        description: {
          zh: '已发布稿件改过的网址别名；旧网址永久跳转到现网址',
          en: 'Addresses this live story had; each redirects permanently to the current one',
        },
      },
      fields: [
        { name: 'slug', type: 'text', required: true, label: { zh: '网址别名', en: 'Slug' } },
        { name: 'leftAt', type: 'date', required: true, label: { zh: '改名时间', en: 'Left at' } },
      ],
    },
    {
      name: 'previewLinks',
      type: 'ui',
      label: { zh: '预览', en: 'Preview' },
      admin: { position: 'sidebar', components: { Field: '/components/PreviewLinks.tsx#PreviewLinks' } },
    },
    {
      name: 'wechatActions',
      type: 'ui',
      admin: { position: 'sidebar', components: { Field: '/components/WechatActions.tsx#WechatActions' } },
    },
    {
      name: 'stage',
      type: 'select',
      // Not `required`: the workflow hook always sets it, so API clients need not send it.
      defaultValue: 'draft',
      index: true,
      label: { zh: '流程阶段', en: 'Stage' },
      options: stages.map((stage) => ({ value: stage, label: stageLabels[stage] })),
      admin: {
        position: 'sidebar',
        // Moved only by the actions above (the server checks every move, whatever is sent).
        readOnly: true,
        description: {
          zh: '用上方“稿件操作”的按钮改变阶段',
          en: 'Change the stage with the actions above',
        },
      },
    },
    {
      // Not stored: the reason sent with a move (退回修改), kept in the stage history.
      name: 'stageNote',
      type: 'textarea',
      virtual: true,
      label: { zh: '退回原因', en: 'Reason for the move' },
      admin: { hidden: true },
    },
    {
      name: 'embargoUntil',
      type: 'date',
      index: true,
      label: { zh: '禁发至', en: 'Embargo until' },
      access: { read: isLoggedIn },
      admin: { position: 'sidebar', date: { pickerAppearance: 'dayAndTime' } },
    },
    {
      name: 'publishedAt',
      type: 'date',
      index: true,
      label: { zh: '发布时间', en: 'Published at' },
      admin: {
        position: 'sidebar',
        date: { pickerAppearance: 'dayAndTime' },
      },
    },
    {
      name: 'corrections',
      type: 'array',
      label: { zh: '更正说明', en: 'Corrections' },
      labels: { singular: { zh: '更正', en: 'Correction' }, plural: { zh: '更正', en: 'Corrections' } },
      admin: {
        description: {
          zh: '新增一条并发布，即为更正；读者可见',
          en: 'Add one and publish to correct; shown to readers',
        },
      },
      fields: [
        { name: 'note', type: 'textarea', required: true, label: { zh: '说明', en: 'Note' } },
        { name: 'at', type: 'date', label: { zh: '时间', en: 'Date' }, admin: { readOnly: true } },
      ],
    },
    {
      name: 'withdrawnReason',
      type: 'textarea',
      label: { zh: '撤稿原因', en: 'Reason for withdrawal' },
      access: { read: isLoggedIn },
      admin: { condition: (data) => data?.stage === 'withdrawn' },
    },
    {
      name: 'storyChecks',
      type: 'ui',
      label: { zh: '发稿检查', en: 'Pre-publication check' },
      admin: { position: 'sidebar', components: { Field: '/components/StoryChecks.tsx#StoryChecks' } },
    },
    {
      name: 'checksOverride',
      type: 'textarea',
      label: { zh: '发稿检查例外说明', en: 'Reason to override the checks' },
      // Only the desk may let a blocking check through; a reporter's reason is not taken.
      access: { read: isLoggedIn, create: isDeskOrAdmin, update: isDeskOrAdmin },
      admin: {
        position: 'sidebar',
        description: {
          zh: '发稿检查有阻断项时，编辑可填写理由后仍审核通过或发布；理由记入操作日志',
          en: 'With blocking checks, an editor may still approve or publish by giving a reason (audited)',
        },
      },
    },
    {
      name: 'internalNotes',
      type: 'textarea',
      label: { zh: '编辑部备注（内部）', en: 'Internal notes' },
      access: { read: isLoggedIn },
    },
    createdByField,
    {
      name: 'signatures',
      type: 'array',
      label: { zh: '审核签字', en: 'Review signatures' },
      access: { read: isLoggedIn },
      admin: {
        readOnly: true,
        initCollapsed: false,
        description: {
          zh: '每一级审核的签字；签字后改动正文，签字作废并退回尚未看过改动的那一级',
          en: 'Each review level’s signature; an edit after signing voids it and returns the story to that level',
        },
        components: { RowLabel: '/components/SignatureRow.tsx#SignatureRow' },
      },
      fields: [
        { name: 'level', type: 'number', required: true, label: { zh: '审级', en: 'Level' } },
        {
          name: 'by',
          type: 'relationship',
          relationTo: collectionSlugs.users,
          label: { zh: '签字人', en: 'Signed by' },
        },
        { name: 'at', type: 'date', label: { zh: '时间', en: 'At' } },
        { name: 'note', type: 'textarea', label: { zh: '审核意见', en: 'Note' } },
        { name: 'fingerprint', type: 'text', admin: { hidden: true } },
        { name: 'voidedAt', type: 'date', label: { zh: '作废时间', en: 'Voided at' } },
        { name: 'voidReason', type: 'text', label: { zh: '作废原因', en: 'Why voided' } },
      ],
    },
    {
      name: 'stageHistory',
      type: 'array',
      label: { zh: '流程记录', en: 'Stage history' },
      access: { read: isLoggedIn },
      admin: {
        readOnly: true,
        initCollapsed: true,
        components: { RowLabel: '/components/StageHistoryRow.tsx#StageHistoryRow' },
      },
      fields: [
        { name: 'from', type: 'select', options: [...stages], label: { zh: '从', en: 'From' } },
        { name: 'to', type: 'select', options: [...stages], label: { zh: '到', en: 'To' } },
        {
          name: 'by',
          type: 'relationship',
          relationTo: collectionSlugs.users,
          label: { zh: '操作人', en: 'By' },
        },
        { name: 'at', type: 'date', label: { zh: '时间', en: 'At' } },
        { name: 'note', type: 'textarea', label: { zh: '原因或说明', en: 'Reason or note' } },
      ],
    },
    {
      // The desk's thread on the story (the story-comments collection): staff only, in no outlet.
      name: 'storyComments',
      type: 'ui',
      label: { zh: '稿件意见', en: 'Comments' },
      admin: { components: { Field: '/components/StoryComments.tsx#StoryComments' } },
    },
  ],
}
