// Runs index.ts through Pulumi's Automation API, where no Node language host is installed:
//   npm run preview|up|destroy -- --stack NAME [--diff] [--expect-no-changes] [--refresh]
// The project is this directory (Pulumi.yaml, the stack's Pulumi.NAME.yaml from
// `pulumi config set`), the backend and secrets are the CLI's (`pulumi login`,
// PULUMI_CONFIG_PASSPHRASE), and the CLI is the `pulumi` on PATH. Prints what the CLI prints.
import * as path from "path";
import { CommandError, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import program = require("./index");

const USAGE = "usage: node bin/automation.js preview|up|destroy --stack NAME [--diff] [--expect-no-changes] [--refresh]";
const FLAGS = ["--diff", "--expect-no-changes", "--refresh", "--yes"]; // --yes: never asked anyway

async function main(args: string[]): Promise<number> {
    const [command, ...rest] = args;
    let stackName: string | undefined;
    const flags = new Set<string>();
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--stack" || rest[i] === "-s") {
            stackName = rest[++i];
        } else if (rest[i].startsWith("--stack=")) {
            stackName = rest[i].slice("--stack=".length);
        } else if (FLAGS.includes(rest[i])) {
            flags.add(rest[i]);
        } else {
            console.error(`unknown argument ${rest[i]}\n${USAGE}`);
            return 2;
        }
    }
    if (!["preview", "up", "destroy"].includes(command) || !stackName) {
        console.error(USAGE);
        return 2;
    }

    // The project directory: this file is compiled into bin/.
    const workDir = path.resolve(__dirname, "..");
    const workspace = await LocalWorkspace.create({ workDir, program });
    const stack = await Stack.createOrSelect(stackName, workspace);
    const options = {
        onOutput: (text: string) => process.stdout.write(text),
        onError: (text: string) => process.stderr.write(text),
        diff: flags.has("--diff"),
        refresh: flags.has("--refresh"),
    };
    try {
        if (command === "preview") {
            await stack.preview({ ...options, expectNoChanges: flags.has("--expect-no-changes") });
        } else if (command === "up") {
            await stack.up({ ...options, expectNoChanges: flags.has("--expect-no-changes") });
        } else {
            await stack.destroy(options);
        }
    } catch (error) {
        if (error instanceof CommandError) {
            return 1; // the CLI has printed why
        }
        throw error;
    }
    return 0;
}

main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error) => {
        console.error(error);
        process.exit(1);
    },
);
