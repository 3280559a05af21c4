/** The paragraph and character style names layout expects, per the column's house style. */
export interface HouseStyles {
  kicker: string
  title: string
  subtitle: string
  summary: string
  body: string
  subhead: string
  caption: string
  byline: string
  bold: string
  italic: string
  link: string
}

export const defaultHouseStyles: HouseStyles = {
  kicker: '肩题',
  title: '主题',
  subtitle: '副题',
  summary: '导语',
  body: '正文',
  subhead: '小标题',
  caption: '图说',
  byline: '作者',
  bold: '加粗',
  italic: '倾斜',
  link: '链接',
}
