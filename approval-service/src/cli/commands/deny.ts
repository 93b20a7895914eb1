import { reviewCommand } from '../review-command.js';

export const command = reviewCommand('deny');
