import { describe, expect, it } from 'vitest'
import {
  type RefusalCode,
  refusalAnswer,
  refusalResponse,
  refusalStatus,
} from '../../cms/security/refusal.ts'

const reason = { en: 'this key was revoked', zh: '此密钥已被吊销' }

describe('the refusal helper', () => {
  it('answers a Fetch Response with the code, both reasons, its status and no-store', async () => {
    const response = refusalResponse({ code: 'forbidden', reason })
    expect(response.status).toBe(403)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.json()).toEqual({
      error: 'forbidden',
      reason: 'this key was revoked',
      reasonZh: '此密钥已被吊销',
    })
  })

  it('answers a plain server the same bytes with their length, and extra headers', () => {
    const answer = refusalAnswer({
      code: 'rate_limited',
      reason: { en: 'limit is 3 a minute', zh: '每分钟最多 3 次' },
      headers: { 'Retry-After': '12' },
    })
    expect(answer.status).toBe(429)
    expect(answer.headers).toMatchObject({ 'Cache-Control': 'no-store', 'Retry-After': '12' })
    expect(answer.headers['Content-Length']).toBe(String(answer.body.length))
    expect(JSON.parse(answer.body.toString('utf8'))).toEqual({
      error: 'rate_limited',
      reason: 'limit is 3 a minute',
      reasonZh: '每分钟最多 3 次',
    })
  })

  it('keeps fields answered beside the refusal, the refusal’s own winning', async () => {
    const response = refusalResponse({
      code: 'graphql_refused',
      reason: { en: 'Syntax Error', zh: 'GraphQL 查询被拒绝：Syntax Error' },
      extra: { errors: [{ message: 'Syntax Error' }], error: 'not this one' },
    })
    expect(await response.json()).toMatchObject({
      errors: [{ message: 'Syntax Error' }],
      error: 'graphql_refused',
    })
  })

  it('gives every code one status, snake_case, and 401 only to unauthorized', () => {
    for (const [code, status] of Object.entries(refusalStatus) as [RefusalCode, number][]) {
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/)
      expect(status >= 400 && status < 600).toBe(true)
      expect(status === 401).toBe(code === 'unauthorized')
      expect(status === 403).toBe(code === 'forbidden')
    }
  })
})
