import sharp from 'sharp'

/**
 * A photograph-like JPEG for benchmarks and tests: gaussian noise around mid-grey defeats
 * compression (and Payload's resizing) as a real photograph's detail would. The noise is new
 * each call.
 */
export function noisyJpeg({
  width,
  height,
  sigma,
  quality,
}: {
  width: number
  height: number
  /** spread of the noise, 0–255 */
  sigma: number
  quality: number
}): Promise<Buffer> {
  return sharp({
    // With noise, sharp draws no background: its colour is only a required field.
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma },
    },
  })
    .jpeg({ quality })
    .toBuffer()
}
