import { Command } from 'commander';

const program = new Command('ctibridge').description('Contact center ⇄ Salesforce integration');
await program.parseAsync(process.argv);
