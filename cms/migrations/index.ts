import * as migration_20261123_210852 from './20261123_210852'

export const migrations = [
  {
    up: migration_20261123_210852.up,
    down: migration_20261123_210852.down,
    name: '20261123_210852',
  },
]
