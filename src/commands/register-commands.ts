import { DiscordAPIError, REST, Routes, type RESTGetCurrentApplicationResult, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { SLASH_COMMANDS } from '../discord/commands.js';
import { writeLine } from './io.js';

/** Registration cannot start or was refused for the credentials: the message says what to fix. */
export class RegisterSetupError extends Error {
  override readonly name = 'RegisterSetupError';
}

export interface RegisterOptions {
  token: string;
  /** REST base, e.g. `https://discord.com/api`. */
  apiUrl: string;
  /** The application whose commands are set. @defaultValue the one the token belongs to */
  applicationId?: string;
  /** Register in this server only (shown at once); absent: globally (Discord may take up to an hour to show them). */
  guildId?: string;
  output: NodeJS.WritableStream;
}

/**
 * `commands register`: puts the bot's slash commands (the ones it registers at start) in
 * place of the application's, globally or in one server, and prints what Discord now holds.
 * @returns the names of the commands registered
 */
export async function registerCommands(options: RegisterOptions): Promise<string[]> {
  const rest = new REST({ api: options.apiUrl }).setToken(options.token);
  try {
    const applicationId = options.applicationId ?? ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
    const route = options.guildId ? Routes.applicationGuildCommands(applicationId, options.guildId) : Routes.applicationCommands(applicationId);
    const registered = (await rest.put(route, { body: SLASH_COMMANDS })) as RESTPutAPIApplicationCommandsResult;
    const names = registered.map((command) => command.name);
    const where = options.guildId ? `in server ${options.guildId}` : 'globally (Discord may take up to an hour to show them everywhere)';
    await writeLine(options.output, `registered ${names.map((n) => `/${n}`).join(', ')} for application ${applicationId} ${where}`);
    return names;
  } catch (error) {
    if (error instanceof DiscordAPIError && (error.status === 401 || error.status === 403)) {
      const what =
        error.status === 401 ? 'DISCORD_TOKEN was refused'
        : options.guildId ? `the bot may not register commands in server ${options.guildId} (is it a member, invited with the applications.commands scope?)`
        : "the token may not register this application's commands (DISCORD_APPLICATION_ID another application's?)";
      throw new RegisterSetupError(`commands register: ${what}: ${error.message}`);
    }
    throw error;
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
