/**
 * The triggers the benchmark registers: what a contact center typically wants, as in the demo.
 * Every finished interaction logs one Task (CallObject = interaction id); an abandoned call also opens a Case.
 */
export function benchTriggers(account: string): Array<Record<string, unknown>> {
  const findByPhone = { name: 'customer', type: 'salesforce.findCustomer', account, by: 'phone', objects: ['Contact', 'Lead'], onMany: 'preferContact', onNone: 'continue' };
  return [
    {
      name: 'log calls', enabled: true, on: ['voice.ended', 'voice.abandoned'], match: 'all', conditions: [],
      actions: [
        findByPhone,
        {
          name: 'task', type: 'salesforce.logActivity', account,
          fields: {
            Subject: 'Call {{ interaction.direction }} {{ interaction.customer.phone }}',
            Description: 'Queue {{ interaction.queue }}, disposition {{ interaction.disposition }}',
            WhoId: '{{ actions.customer.id }}',
          },
        },
      ],
    },
    {
      name: 'case for abandoned calls', enabled: true, on: ['voice.abandoned'], match: 'all', conditions: [],
      actions: [
        findByPhone,
        { name: 'case', type: 'salesforce.createCase', account, fields: { Subject: 'Abandoned call from {{ interaction.customer.phone }}', Origin: 'Phone' } },
      ],
    },
    {
      name: 'log chats and emails', enabled: true, on: ['chat.ended', 'email.message'], match: 'all', conditions: [],
      actions: [
        { name: 'customer', type: 'salesforce.findCustomer', account, by: 'email', objects: ['Contact', 'Lead'], onMany: 'mostRecent', onNone: 'continue' },
        {
          name: 'task', type: 'salesforce.logActivity', account,
          fields: { Subject: '{{ interaction.channel | upcase }} {{ interaction.subject | default: interaction.customer.email }}', WhoId: '{{ actions.customer.id }}' },
        },
      ],
    },
  ];
}

/** The bench's account: the emulator's default seed credentials. */
export function benchAccount(name: string, emulatorUrl: string): Record<string, unknown> {
  return {
    name,
    loginUrl: emulatorUrl,
    apiVersion: '62.0',
    auth: { flow: 'password', clientId: 'emulator-client-id', clientSecret: 'emulator-client-secret', username: 'admin@example.com', password: 'emulator-password', securityToken: 'EMULATORTOKEN' },
    fallbackOwner: 'admin@example.com',
    externalIdField: null,
    apiShare: 0.2,
  };
}
