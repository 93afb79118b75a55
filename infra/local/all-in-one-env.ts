import Type from 'typebox';
import { CommonEnv } from '@nursing/config';
import { DispatchEnv } from '@nursing/dispatch';
import { GatewayEnv } from '@nursing/gateway';
import { AlarmsEnv } from '@nursing/alarms';

/** `npm start` hosts all three services in one process, so it reads all their settings. */
export const AllInOneEnvSchema = Type.Object({ ...CommonEnv, ...DispatchEnv, ...GatewayEnv, ...AlarmsEnv });
