/**
 * One explicit AWS provider per region that has serving clusters, and one for the global services
 * (Global Accelerator, Route 53), so that a single stack spans every region and nothing depends on an
 * ambient region.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AwsRegionsArgs {
  readonly environment: string;
  /** Regions with serving clusters. */
  readonly regions: readonly string[];
  /** The region whose API serves global resources (Global Accelerator is managed from us-west-2). */
  readonly globalRegion: string;
}

export class AwsRegions extends pulumi.ComponentResource {
  /** The provider of each region, by region. */
  readonly providers: Readonly<Record<string, aws.Provider>>;
  /** The provider for global resources. */
  readonly global: aws.Provider;

  constructor(name: string, args: AwsRegionsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fleetgate:aws:AwsRegions", name, {}, opts);
    const make = (region: string, suffix: string) =>
      new aws.Provider(
        `${args.environment}-aws-${suffix}`,
        { region: region as aws.Region, defaultTags: { tags: { "fleetgate:environment": args.environment } } },
        { parent: this },
      );
    this.providers = Object.fromEntries([...args.regions].sort().map((region) => [region, make(region, region)]));
    this.global = make(args.globalRegion, "global");
    this.registerOutputs({ regions: [...args.regions].sort() });
  }
}
