import {
  BlockquoteFeature,
  BoldFeature,
  FixedToolbarFeature,
  HeadingFeature,
  HorizontalRuleFeature,
  InlineToolbarFeature,
  ItalicFeature,
  LinkFeature,
  lexicalEditor,
  OrderedListFeature,
  ParagraphFeature,
  UnderlineFeature,
  UnorderedListFeature,
  UploadFeature,
} from '@payloadcms/richtext-lexical'
import { collectionSlugs } from '../../slugs.ts'

/**
 * The story body offers exactly the nodes every outlet can plate: paragraphs, h2–h4,
 * quotes, lists, links, rules and inline images with a caption.
 */
export const storyBodyEditor = lexicalEditor({
  features: () => [
    ParagraphFeature(),
    HeadingFeature({ enabledHeadingSizes: ['h2', 'h3', 'h4'] }),
    BoldFeature(),
    ItalicFeature(),
    UnderlineFeature(),
    BlockquoteFeature(),
    UnorderedListFeature(),
    OrderedListFeature(),
    LinkFeature({ enabledCollections: [collectionSlugs.stories] }),
    HorizontalRuleFeature(),
    UploadFeature({
      enabledCollections: [collectionSlugs.media],
      collections: {
        [collectionSlugs.media]: {
          fields: [{ name: 'caption', type: 'text', label: { zh: '图说', en: 'Caption' } }],
        },
      },
    }),
    FixedToolbarFeature(),
    InlineToolbarFeature(),
  ],
})
