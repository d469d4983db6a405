/**
 * The Fleetgate program's entry: `pulumi up` runs this file on the stack named after the environment,
 * and the offline plan runs it under mocks. What it does is program.ts; what the stack exports is what
 * that resolves to. The program ends in a promise: the trust check needs the previous deployment's
 * outputs, and a step it refuses must stop the program before any resource is registered.
 */
import { fleetgateProgram } from "./program";

export = fleetgateProgram();
