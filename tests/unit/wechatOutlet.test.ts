import { describe, expect, it } from 'vitest'
import { wechatAuthor } from '../../cms/publishing/wechat/wechatAuthor.ts'
import { focalCrop, normalisedCrop } from '../../cms/publishing/wechat/wechatImages.ts'

describe('作者 from the byline', () => {
  it.each([
    ['记者 王晓燕 通讯员 李强', '王晓燕 李强'],
    ['本报记者王晓燕', '王晓燕'],
    ['通讯员 何文斌 记者 王晓燕', '何文斌 王晓燕'],
    ['记者 赵一鸣 摄影 郑凯', '赵一鸣 郑凯'],
    ['文/图 郑凯', '郑凯'],
    ['记者 文静、李强', '文静 李强'],
    ['记者 王晓燕 王晓燕', '王晓燕'],
  ])('%s → %s', (bylineText, author) => {
    expect(wechatAuthor({ bylineText })).toBe(author)
  })

  it('takes the staff authors when the byline names nobody, and is empty when nobody is named', () => {
    expect(wechatAuthor({ bylineText: '本报记者', staffNames: ['刘思远'] })).toBe('刘思远')
    expect(wechatAuthor({ bylineText: null })).toBeNull()
  })
})

describe('the cover cuts', () => {
  it('centres a cut on the focal point, kept inside the picture', () => {
    const size = { width: 1080, height: 720 }
    expect(focalCrop({ ...size, ratio: 1, focalX: 50, focalY: 50 })).toEqual({
      left: 180,
      top: 0,
      width: 720,
      height: 720,
    })
    expect(focalCrop({ ...size, ratio: 1, focalX: 10, focalY: 50 })).toEqual({
      left: 0,
      top: 0,
      width: 720,
      height: 720,
    })
    expect(focalCrop({ ...size, ratio: 1, focalX: 95, focalY: 50 })).toEqual({
      left: 360,
      top: 0,
      width: 720,
      height: 720,
    })
    expect(focalCrop({ ...size, ratio: 900 / 383, focalX: 50, focalY: 25 })).toEqual({
      left: 0,
      top: 0,
      width: 1080,
      height: 460,
    })
    expect(focalCrop({ ...size, ratio: 900 / 383, focalX: 50, focalY: 60 })).toEqual({
      left: 0,
      top: 202,
      width: 1080,
      height: 460,
    })
  })

  it("says a cut as WeChat's X1_Y1_X2_Y2 in 0–1 of the picture", () => {
    expect(
      normalisedCrop({ crop: { left: 0, top: 0, width: 1080, height: 720 }, width: 1080, height: 720 }),
    ).toBe('0_0_1_1')
    expect(
      normalisedCrop({ crop: { left: 360, top: 0, width: 720, height: 720 }, width: 1080, height: 720 }),
    ).toBe('0.333333_0_1_1')
  })
})
