import type { DemoSection } from './types.ts'

export const demoSections: DemoSection[] = [
  {
    key: 'model-workers',
    name: '劳模风采',
    slug: 'laomo-fengcai',
    description: '走近江州各行各业的劳动模范，记录他们在平凡岗位上的坚守与担当。',
    order: 1,
    // Stories about named model workers go to the chief editor: 初审, 复审 and 签发.
    reviewLevels: 3,
  },
  {
    key: 'craftsmen',
    name: '工匠故事',
    slug: 'gongjiang-gushi',
    description: '讲述一线技术工人精益求精、攻坚克难、传承技艺的工匠故事。',
    order: 2,
  },
  {
    key: 'reading',
    name: '职工书屋',
    slug: 'zhigong-shuwu',
    description: '聚焦职工阅读、学历提升和技能培训，服务职工终身学习与成长。',
    order: 3,
  },
  {
    key: 'services',
    name: '惠工宣讲',
    slug: 'huigong-xuanjiang',
    description: '解读工会普惠政策与维权服务，把实实在在的福利送到职工身边。',
    order: 4,
  },
  {
    key: 'culture',
    name: '文体活动',
    slug: 'wenti-huodong',
    description: '报道职工文化展演和体育赛事，展现江州劳动者的精神风貌。',
    order: 5,
  },
]
