/**
 * Fleetgate's policy pack. Run it with the preview that reviewers see:
 *   pulumi preview --policy-pack policies [--policy-pack-config policies/config.json]
 * Each rule family lives in policies/rules/; enforcement levels and the Cloud Armor environments can be
 * set per run in the pack's configuration.
 */
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules";

new PolicyPack("fleetgate", { policies: RULES });
