// A pseudo-terminal for end-to-end tests: one tmux server per test on its own socket, a 120x40 pane,
// keys sent with send-keys, the screen read with capture-pane. CI installs tmux (.ci/run).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const hasTmux = () => !spawnSync("tmux", ["-V"]).error;

export class Tmux {
  private readonly sock = join(mkdtempSync(join(tmpdir(), "llmdrill-tmux-")), "s");
  private readonly env: NodeJS.ProcessEnv;

  constructor() {
    if (!hasTmux()) throw new Error("the terminal tests need tmux: apt-get install tmux (.ci/run installs it)");
    // The pane is a learner's terminal, not the CI job that runs the tests: chalk gives no colour when it
    // sees a CI variable (CI, TEAMCITY_VERSION), so those go along with the ones the tests set themselves.
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color" };
    const drop = ["TMUX", "TMUX_PANE", "NO_COLOR", "FORCE_COLOR", "LLMDRILL_WORKSPACE", "PAGER", "LESS", "CI", "TEAMCITY_VERSION"];
    for (const k of drop) delete env[k];
    this.env = env;
  }

  private tmux(args: string[]): string {
    const r = spawnSync("tmux", ["-S", this.sock, ...args], { env: this.env, encoding: "utf8", timeout: 10_000 });
    if (r.status !== 0) throw new Error(`tmux ${args.join(" ")} failed: ${r.stderr || r.error?.message}`);
    return r.stdout;
  }

  /** Runs a shell command in a new 120x40 pane in cwd; when it ends the pane shows `[exit <code>]`. */
  start(cwd: string, command: string): void {
    this.tmux(["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "-c", cwd, `${command}; echo "[exit $?]"; sleep 600`]);
  }

  /** The visible screen (with history, the scrolled-off lines before it; with escapes, colour codes too). */
  screen(opts: { escapes?: boolean; history?: boolean } = {}): string {
    return this.tmux(["capture-pane", "-p", "-t", "t", ...(opts.escapes ? ["-e"] : []), ...(opts.history ? ["-S", "-"] : [])]);
  }

  keys(...keys: string[]): void {
    this.tmux(["send-keys", "-t", "t", ...keys]);
  }

  /** Waits until the screen matches; fails with the screen after timeoutMs. */
  async waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (pattern.test(s)) return s;
      if (Date.now() > end) throw new Error(`the screen never matched ${pattern}; it shows:\n${s}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  kill(): void {
    spawnSync("tmux", ["-S", this.sock, "kill-server"], { env: this.env });
    rmSync(dirname(this.sock), { recursive: true, force: true });
  }
}
