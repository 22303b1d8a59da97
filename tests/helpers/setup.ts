// Runs in every test file: temporary workspaces are removed when the file's tests are done.
import { afterAll } from "vitest";
import { cleanupWorkspaces } from "./cli.ts";

afterAll(cleanupWorkspaces);
