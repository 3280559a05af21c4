import type { DemoHouseTerm } from './types.ts'

/**
 * A short demo of the house term list (规范用语), from real style rules: organisation names
 * in full on first mention, honour titles in full, numbers and dates as GB/T 15835—2011
 * 《出版物上数字用法》 has them, and two words the Xinhua list (新华社新闻信息报道中的禁用词)
 * forbids. Newsrooms replace it with their own.
 */
export const demoHouseTerms: DemoHouseTerm[] = [
  {
    term: '全国总工会',
    severity: 'suggest',
    replacement: '中华全国总工会',
    note: '机构名称首次出现用全称，其后可用简称',
  },
  {
    term: '全总',
    severity: 'suggest',
    replacement: '中华全国总工会',
    wholeWord: true,
    note: '“全总”是简称，首次出现用全称',
  },
  { term: '市总工会', severity: 'suggest', replacement: '江州市总工会', note: '本地机构首次出现用全称' },
  {
    term: '全国劳模',
    severity: 'suggest',
    replacement: '全国劳动模范',
    note: '荣誉称号用全称，首次出现后可称“劳模”',
  },
  { term: '省劳模', severity: 'suggest', replacement: '省劳动模范', wholeWord: true, note: '荣誉称号用全称' },
  { term: '市劳模', severity: 'suggest', replacement: '市劳动模范', wholeWord: true, note: '荣誉称号用全称' },
  {
    term: '五一奖章',
    severity: 'suggest',
    replacement: '五一劳动奖章',
    note: '奖章名称用全称，如“全国五一劳动奖章”',
  },
  {
    term: '截止到',
    severity: 'suggest',
    replacement: '截至',
    note: '“截至”表示到某时为止；“截止”表示到期停止，后面不带时间',
  },
  {
    term: '百分之',
    severity: 'suggest',
    replacement: '阿拉伯数字加“%”，如“50%”',
    note: 'GB/T 15835—2011：统计数据用阿拉伯数字',
  },
  {
    term: '二〇',
    severity: 'suggest',
    replacement: '阿拉伯数字，如“2026年”',
    note: 'GB/T 15835—2011：公历年份用阿拉伯数字',
  },
  { term: '残废人', severity: 'block', replacement: '残疾人', note: '新华社禁用词：不用歧视性称谓' },
  { term: '弱智', severity: 'block', replacement: '智力障碍者', note: '新华社禁用词：不用歧视性称谓' },
]
