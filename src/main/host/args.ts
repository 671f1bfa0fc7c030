import { DeskError } from '@shared/errors';

export interface HostArgs {
  dataDir?: string;
  port: number;
  importFile?: string;
  replace: boolean;
  readyFile?: string;
  apiPort: number;
  /** Write the workspace to this file and exit (after `--import`, when both are given). */
  exportFile?: string;
  includeSecrets: boolean;
  passphraseFile?: string;
  /** Read this HAR (or pasted-text file), print its diagnosis as one JSON line and exit. */
  diagnoseFile?: string;
}

const USAGE =
  'usage: npm run serve -- [--data-dir DIR] [--port N] [--api-port N] [--import FILE [--replace]] [--ready-file FILE]\n' +
  '                        [--export FILE [--include-secrets]] [--passphrase-file FILE] [--diagnose FILE]';

const port = (flag: string, value: string | undefined): number => {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n > 65535)
    throw new DeskError('bad_args', `${flag} needs a port number 0-65535\n${USAGE}`);
  return n;
};

export function parseHostArgs(argv: string[]): HostArgs {
  const out: HostArgs = { port: 0, replace: false, apiPort: 0, includeSecrets: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const [name, inline] = flag.includes('=')
      ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)]
      : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new DeskError('bad_args', `${name} needs a value\n${USAGE}`);
      return v;
    };
    switch (name) {
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--port':
        out.port = port(name, value());
        break;
      case '--api-port':
        out.apiPort = port(name, value());
        break;
      case '--import':
        out.importFile = value();
        break;
      case '--replace':
        out.replace = true;
        break;
      case '--ready-file':
        out.readyFile = value();
        break;
      case '--export':
        out.exportFile = value();
        break;
      case '--include-secrets':
        out.includeSecrets = true;
        break;
      case '--passphrase-file':
        out.passphraseFile = value();
        break;
      case '--diagnose':
        out.diagnoseFile = value();
        break;
      case '--help':
      case '-h':
        throw new DeskError('help', USAGE);
      default:
        throw new DeskError('bad_args', `unknown option ${flag}\n${USAGE}`);
    }
  }
  if (out.includeSecrets && !out.exportFile)
    throw new DeskError('bad_args', `--include-secrets goes with --export FILE\n${USAGE}`);
  return out;
}
