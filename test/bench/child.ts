/**
 * Runs a bench script in a process of its own (as terminals on their own machines would be): the input goes
 * in as JSON on stdin, the script's JSON answer comes back from stdout; its stderr is the bench's.
 */
import { spawn } from 'node:child_process';

export function runScript<T>(script: string, input: unknown, nodeArgs: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output) as T);
      else reject(new Error(`${script} exited with ${code}`));
    });
    child.stdin.end(JSON.stringify(input));
  });
}
