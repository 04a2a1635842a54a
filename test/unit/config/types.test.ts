import { describe, expectTypeOf, it } from 'vitest';
import type {
  ChecksConfig,
  Config,
  DatabaseVia,
  DiskThreshold,
  DockerTarget,
  Environment,
  LocalTarget,
  SshTarget,
  Target,
  VersionConstraint,
} from '../../../src/config/index.js';

describe('exported types', () => {
  it('expose parsed values, not raw strings', () => {
    expectTypeOf<Config['strategy']['drain']>().toEqualTypeOf<number>();
    expectTypeOf<Config['strategy']['type']>().toEqualTypeOf<'recreate' | 'rolling' | 'blue-green' | 'canary'>();
    expectTypeOf<Environment['state-dir']>().toEqualTypeOf<string>();
    expectTypeOf<Target>().toEqualTypeOf<SshTarget | LocalTarget | DockerTarget>();
    expectTypeOf<SshTarget['ssh']['connect-timeout']>().toEqualTypeOf<number>();
    expectTypeOf<ChecksConfig['docker']>().toEqualTypeOf<VersionConstraint | false>();
    expectTypeOf<ChecksConfig['min-free-disk']>().toEqualTypeOf<DiskThreshold>();
    expectTypeOf<NonNullable<Config['database']>['via']>().toEqualTypeOf<DatabaseVia>();
    expectTypeOf<Config['checks']>().toExtend<ChecksConfig>();
    expectTypeOf<ChecksConfig>().toExtend<Config['checks']>();
  });
});
