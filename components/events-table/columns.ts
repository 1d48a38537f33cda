// The columns of sysdig's default output:
// %evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info

import { createColumnHelper, tableFeatures } from "@tanstack/react-table";
import type { EventRow } from "../../server/api/store-types";
import { timeOfDayUtc } from "../ui/format";

export const features = tableFeatures({});

const col = createColumnHelper<typeof features, EventRow>();

export const columns = col.columns([
  col.accessor("num", { header: "evt.num" }),
  col.accessor("ts", { header: "time (UTC)", cell: (c) => timeOfDayUtc(c.getValue()) }),
  col.accessor("cpu", { header: "cpu" }),
  col.accessor("proc", { header: "proc" }),
  col.accessor("tid", { header: "tid" }),
  col.accessor("dir", { header: "dir" }),
  col.accessor("type", { header: "type" }),
  col.accessor("info", { header: "info" }),
]);
