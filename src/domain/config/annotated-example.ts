/**
 * A complete `railyard.yaml`, annotated, as shown in `docs/configuration.md`. Tests parse it, so
 * the documentation never shows a configuration Railyard would reject.
 */
/** The example configuration, with a comment on every choice a reader has to make. */
export const ANNOTATED_EXAMPLE = `# Point your editor at the JSON Schema for completion and checks as you type:
# yaml-language-server: $schema=https://railyard.dev/schema/railyard.schema.json
version: 1 # the configuration format; always 1 for now

# People, grouped into teams. Teams own components and approve trains.
teams:
  payments:
    description: Checkout, billing and the ledger.
    members:
      - name: alice # login name, shown in approvals and in the audit trail
        email: alice@example.com
        roles: [member, approver] # default: [member]
      - name: bob
  storefront:
    members:
      - name: carol
        roles: [member, approver]
  platform:
    members:
      - name: erin
        roles: [coordinator, admin]

# How components reach an environment. Components name one of these.
deployers:
  argo:
    type: gitops # commit the version into a Git repository that Argo CD or Flux watches
    repository: git@example.com:acme/deployments.git
    branch: main
    file: clusters/{environment}/versions.yaml
    path: "{component}.image.tag" # quoted: a YAML value may not start with {
  migrate:
    type: command # run a program; exit code 0 means deployed
    command: [./scripts/migrate.sh, --apply]
    timeout: 30m

# Deployable units, each owned by one team.
components:
  ledger-db:
    team: payments
    deployer: migrate
  ledger:
    team: payments
    deployer: argo
    depends_on:
      # ledger only boards a train with a ledger-db version in this semver range
      - component: ledger-db
        version: ">=12.0.0 <13.0.0"
  checkout:
    team: payments
    deployer: argo
    depends_on:
      - component: ledger
        version: ^4.2.0
  web:
    team: storefront
    deployer: argo
    depends_on:
      - component: checkout
        version: ">=3.0.0"

# Exactly one integration environment, and the production targets waves deploy to.
environments:
  staging:
    kind: integration
  eu-west:
    kind: production
    labels: { region: eu-west-1 }
  us-east:
    kind: production
    labels: { region: us-east-1 }

# Lines: recurring release trains.
lines:
  payments:
    schedule:
      rrule: FREQ=WEEKLY;BYDAY=TU # every Tuesday…
      start: 2026-01-06T10:00 # …at 10:00 local time, from 6 January 2026 on
      timezone: Europe/Berlin # 10:00 in Berlin, summer and winter alike
      cutoff: 26h # boarding closes on Monday at 08:00
    components: [ledger-db, ledger, checkout]
    gates: # run after the integration stage, before approval
      - name: contract-tests
        type: command
        command: npm run test:contract
        timeout: 15m
      - name: smoke
        type: http
        url: https://staging.example.com/health?train={train}
        headersFromEnv:
          Authorization: SMOKE_TOKEN # the header's value is read from $SMOKE_TOKEN
    approval:
      mode: manual
      team: payments
      required: 2 # two distinct members of payments; nobody approves their own change
    rollout:
      waves: # in order; a wave starts when the previous one is verified
        - name: eu
          environments: [eu-west]
          bake: 30m # wait after deploying, then run the verify gates
          verify:
            - name: error-rate
              type: http
              url: https://eu.example.com/slo?train={train}
        - name: us
          environments: [us-east]
    rollback:
      policy: automatic # a failed deployment or verification rolls the train back
    notify: [releases]

  storefront:
    schedule:
      rrule: FREQ=DAILY;BYDAY=MO,TU,WE,TH # Monday to Thursday
      start: 2026-01-05T14:30
      timezone: America/New_York
      cutoff: PT2H # ISO 8601 works too
    components: [web]
    approval:
      mode: auto # approved as soon as every gate passes
    rollout:
      waves:
        - name: everywhere
          environments: [us-east, eu-west]
    notify: [releases]

# Where train events are announced. Secrets (URLs, tokens) come from environment variables.
notifications:
  releases:
    type: slack
    webhookUrlFromEnv: SLACK_RELEASES_WEBHOOK
    events: [train.transitioned, gate.evaluated, approval.recorded]
`;
